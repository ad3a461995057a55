"""`csp ingest https://…`: the file fetched, checked as an upload is, and stored in the
index folder's `downloads/` folder, which keeps the original of what the index holds.

urllib is enough here: one GET, redirects followed, no session or retries to manage.
Every refusal raises `DownloadFailed` naming the URL: a connection or HTTP error, no
answer within the timeout (each wait, and the whole transfer), more than the size limit
(read no further than the limit, whatever Content-Length claims), or content that is
not a PDF, HTML or text file by its bytes (the Content-Type header and the name are not
trusted).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ingest import __version__
from ingest.errors import DownloadFailed
from ingest.model import Provenance
from ingest.pipeline.received import MAX_UPLOAD_MB, Upload, store_upload
from ingest.pipeline.sources import is_url, name_in_url, today

#: The index folder's own folder of downloaded originals.
DOWNLOADS_DIR = "downloads"
#: Seconds to wait for a connection or for the next bytes.
WAIT_S = 30.0
#: Seconds the whole transfer may take.
TRANSFER_S = 300.0
CHUNK = 1 << 16


@dataclass
class Download:
    path: Path
    provenance: Provenance
    size: int


def download(
    url: str,
    folder: Path,
    *,
    max_bytes: int = MAX_UPLOAD_MB * 1024 * 1024,
    wait_s: float = WAIT_S,
    transfer_s: float = TRANSFER_S,
) -> Download:
    """Fetch `url` into `folder` under a safe name; its provenance is the URL and today
    (UTC) as the day retrieved."""
    if not is_url(url):
        raise DownloadFailed(url, "not an http or https address")
    request = urllib.request.Request(url, headers={"User-Agent": f"csp-search/{__version__}"})
    deadline = time.monotonic() + transfer_s
    try:
        with urllib.request.urlopen(request, timeout=wait_s) as response:
            claimed = response.headers.get("Content-Length")
            if claimed and claimed.isdigit() and int(claimed) > max_bytes:
                raise DownloadFailed(url, too_large(int(claimed), max_bytes))
            final_url = response.geturl() or url
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise DownloadFailed(url, too_large(len(data), max_bytes, at_least=True))
                if time.monotonic() > deadline:
                    raise DownloadFailed(url, f"not finished within {transfer_s:g} s")
    except urllib.error.HTTPError as error:
        answer = f"the server answered HTTP {error.code} {error.reason}"
        raise DownloadFailed(url, answer) from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise DownloadFailed(url, f"no answer within {wait_s:g} s") from error
        raise DownloadFailed(url, f"cannot connect ({reason})") from error
    except TimeoutError as error:
        raise DownloadFailed(url, f"no answer within {wait_s:g} s") from error
    except OSError as error:  # the connection dropped mid-transfer
        raise DownloadFailed(url, f"the transfer failed ({error})") from error
    name = name_in_url(final_url) or name_in_url(url) or "download"
    path, refused = store_upload(Upload(name, bytes(data)), Path(folder))
    if path is None:
        raise DownloadFailed(url, refused or "refused")
    retrieved = today()
    return Download(
        path,
        Provenance(url=url, retrieved=retrieved, original_name=name, origin="download"),
        len(data),
    )


def too_large(size: int, limit: int, at_least: bool = False) -> str:
    megabytes = size / (1024 * 1024)
    return (
        f"too large ({'over ' if at_least else ''}{megabytes:.0f} MB; "
        f"the limit is {limit / (1024 * 1024):.0f} MB)"
    )
