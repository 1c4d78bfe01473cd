from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    message: str = Field(description="What went wrong, for people.")
    fields: dict[str, str] = Field(
        description="For a request that did not validate: one message per field."
    )


def absolute(context: dict | None, path: str) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


# Responses every operation may give, besides its own success.
READ_ERRORS = {304: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
