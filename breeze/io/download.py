"""Downloading a small file (constraints): through the environment's proxy, bounded, one line."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

from breeze import __version__
from breeze.core.errors import BreezeError, ConstraintsUnavailable
from breeze.core.network import mask_credentials
from breeze.ui import console

MAX_BYTES = 10_000_000


def download(url: str, timeout: float, *, verbose: bool = False) -> bytes:
    """The bytes at a URL, through the proxy the environment names; one-line errors."""
    if verbose:
        shown = mask_credentials(url)
        console.info(f"Downloading {shown}{_proxy_note(url)} (timeout {timeout:.0f} s)")
    hint = (
        "generate constraints with `breeze constraints generate` or pass "
        "--airflow-constraints-location URL-or-FILE"
    )
    request = urllib.request.Request(url, headers={"User-Agent": f"breeze/{__version__}"})
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        # A fresh opener reads HTTP(S)_PROXY / NO_PROXY now; urlopen's global one keeps the first.
        opener = urllib.request.build_opener()
        with opener.open(request, timeout=timeout) as response:
            size = 0
            while chunk := response.read1(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise BreezeError(
                        f"{url} is larger than {MAX_BYTES // 1_000_000} MB, not a constraints "
                        f"file; {hint}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunks.append(chunk)
    except urllib.error.HTTPError as e:
        raise _unavailable(url, f"HTTP {e.code} {e.reason}", hint) from e
    except TimeoutError as e:
        raise _unavailable(url, f"no answer in {timeout:.0f} s", hint) from e
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise _unavailable(url, f"no answer in {timeout:.0f} s", hint) from e
        raise _unavailable(url, _reason(e.reason), hint) from e
    except OSError as e:
        raise _unavailable(url, _reason(e), hint) from e
    return b"".join(chunks)


def _unavailable(url: str, reason: str, hint: str) -> ConstraintsUnavailable:
    """The one-line error of a failed download, with its URL and short reason kept apart."""
    return ConstraintsUnavailable(
        f"cannot download {url}: {reason}; {hint}", url=url, reason=reason
    )


def _reason(error: object) -> str:
    """A network error's reason without errno noise."""
    strerror = getattr(error, "strerror", None)
    return str(strerror or error)


def _proxy_note(url: str) -> str:
    """' through proxy HOST:PORT' when the environment routes the URL through one."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return ""
    return f" through proxy {urllib.parse.urlsplit(proxy).netloc.rsplit('@', 1)[-1]}"
