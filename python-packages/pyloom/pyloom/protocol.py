"""The shapes pyloom hands the worker, as TypedDicts mirroring ``src/protocol.ts``.

Output events are nbformat v4 outputs plus Jupyter's two update events; the replies are what
``worker/pyloom-api.ts`` decodes. A field changed here must change there (the seam test in
``test/unit/kernel.test.ts`` validates every event against ``src/protocol.ts`` and nbformat).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

MimeBundle = dict[str, Any]
OutputMetadata = dict[str, Any]


class Transient(TypedDict, total=False):
    display_id: str


class StreamOutput(TypedDict):
    output_type: Literal["stream"]
    name: Literal["stdout", "stderr"]
    text: str


class DisplayDataEvent(TypedDict):
    output_type: Literal["display_data"]
    data: MimeBundle
    metadata: OutputMetadata
    transient: NotRequired[Transient]


class ExecuteResultEvent(TypedDict):
    output_type: Literal["execute_result"]
    execution_count: int | None
    data: MimeBundle
    metadata: OutputMetadata
    transient: NotRequired[Transient]


class UpdateDisplayDataEvent(TypedDict):
    output_type: Literal["update_display_data"]
    data: MimeBundle
    metadata: OutputMetadata
    transient: Transient


class ClearOutputEvent(TypedDict):
    output_type: Literal["clear_output"]
    wait: bool


class ErrorOutput(TypedDict):
    output_type: Literal["error"]
    ename: str
    evalue: str
    traceback: list[str]


OutputEvent = StreamOutput | ErrorOutput | DisplayDataEvent | ExecuteResultEvent | UpdateDisplayDataEvent | ClearOutputEvent


class SetNextInputPayload(TypedDict):
    """Jupyter's execute_reply payload from IPython's ``set_next_input``: ``replace`` sets the
    running cell's text (``%load``), otherwise a new cell with ``text`` goes below it."""

    source: Literal["set_next_input"]
    text: str
    replace: bool


class ExecuteReply(TypedDict):
    """``Shell.run_cell``: ``ExecuteAck`` in snake case (Python exceptions are ``error``)."""

    status: Literal["ok", "error"]
    execution_count: int | None
    payload: list[SetNextInputPayload]


class CompletionItem(TypedDict):
    label: str
    type: str
    detail: NotRequired[str]


# "from" is a Python keyword: the functional form is the only way to name the field.
CompletionResult = TypedDict("CompletionResult", {"from": int, "to": int, "items": list[CompletionItem]})


class InstallOk(TypedDict):
    status: Literal["ok"]
    installed: list[str]


class InstallError(TypedDict):
    status: Literal["error"]
    message: str


InstallResult = InstallOk | InstallError
