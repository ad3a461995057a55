"""The Whoosh engine: schema and analyzer (`schema`), the index and its writer (`index`,
`segments`), and searching (`reader`)."""
