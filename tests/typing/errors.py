"""A user's error handling: the attributes each error carries are typed."""

from __future__ import annotations

import time
from typing import Optional

import tiktok


def follower_count(client: tiktok.Client, user_id: str) -> Optional[int]:
    try:
        return client.users.get(user_id).follower_count
    except tiktok.RateLimitError as error:
        time.sleep(error.retry_after or 1.0)
    except tiktok.LoginRequiredError as error:
        print("log in first:", error.status_code)
    except tiktok.NotFoundError:
        return None
    except tiktok.APIError as error:
        code: Optional[int] = error.status_code
        message: Optional[str] = error.status_msg
        http: Optional[int] = error.http_status
        logid: Optional[str] = error.logid
        print(code, message, http, logid)
    except tiktok.LoginError as error:
        print(error.error_code, error.description, error.captcha)
    except tiktok.TikTokError as error:
        print(type(error).__name__, error)
    return None


def worth_another_try(error: tiktok.TikTokError, *, write: bool) -> bool:
    wait: Optional[float] = error.retry_after
    print("the server asks for", wait)
    return error.transient and (not write or error.unprocessed)


def was_sent(error: tiktok.TransportError) -> bool:
    return error.sent


# Old names still type-check as the classes they are (and warn at run time).
assert issubclass(tiktok.LoginRequired, tiktok.LoginRequiredError)
assert issubclass(tiktok.DeadlineExceeded, tiktok.TransportError)
