"""Building and measuring the models: `csp train` (`train`) and `csp eval` (`evaluate`)."""
