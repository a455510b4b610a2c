"""stdout/stderr batching: bounded message counts, nothing lost, order kept."""

from _support import fresh, of_type, stdout


async def test_a_print_flood_arrives_whole_in_few_messages():
    import math
    import time

    shell, events = fresh(interval=0.05, max_chars=65536)
    start = time.monotonic()
    await shell.run_cell("for i in range(100_000):\n    print(i)")
    elapsed = time.monotonic() - start
    streams = of_type(events, "stream")
    text = stdout(events)
    assert text == "".join(f"{i}\n" for i in range(100_000))
    # The policy's bound, whatever the machine's speed: one message per full buffer, one per
    # interval of printing, plus the first line and the end-of-cell flush.
    bound = math.ceil(len(text) / 65536) + math.ceil(elapsed / 0.05) + 2
    assert len(streams) <= bound, (len(streams), bound)
    assert len(streams) < 100_000 / 100


async def test_max_chars_splits_large_output():
    shell, events = fresh(interval=60.0, max_chars=1000)
    await shell.run_cell("for i in range(1000):\n    print('x' * 9)")
    streams = of_type(events, "stream")
    assert stdout(events) == "x" * 9 + "\n" + ("x" * 9 + "\n") * 999
    assert 9 <= len(streams) <= 11
    assert all(len(e["text"]) <= 1000 + 10 for e in streams)


async def test_first_line_after_quiet_goes_out_at_once_and_a_burst_waits():
    shell, events = fresh(interval=60.0)
    shell.user_ns["sent"] = lambda: len(of_type(events, "stream"))
    # "print, then slow work" must show the line before the work ends…
    await shell.run_cell("print('starting')\nafter_first = sent()\nprint('burst')\nafter_second = sent()")
    assert shell.user_ns["after_first"] == 1
    # …while a line right behind it is batched, and sent by the end-of-cell flush.
    assert shell.user_ns["after_second"] == 1
    assert [e["text"] for e in of_type(events, "stream")] == ["starting\n", "burst\n"]


async def test_stderr_and_stdout_keep_their_interleaving():
    shell, events = fresh(interval=60.0)
    await shell.run_cell("import sys\nfor i in range(3):\n    print('o', i)\n    print('e', i, file=sys.stderr)")
    sequence = [(e["name"], e["text"]) for e in of_type(events, "stream")]
    assert sequence == [
        ("stdout", "o 0\n"),
        ("stderr", "e 0\n"),
        ("stdout", "o 1\n"),
        ("stderr", "e 1\n"),
        ("stdout", "o 2\n"),
        ("stderr", "e 2\n"),
    ]


async def test_text_without_newline_is_flushed_at_cell_end():
    shell, events = fresh(interval=60.0)
    await shell.run_cell("print('no newline', end='')")
    assert stdout(events) == "no newline"


async def test_stream_is_a_text_io():
    shell, events = fresh()
    await shell.run_cell("import sys\nsys.stdout.write('w\\n'); sys.stdout.flush()\nsys.stdout.isatty(), sys.stdout.encoding")
    assert stdout(events) == "w\n"


async def test_a_cell_past_the_output_limit_is_truncated_with_a_marker():
    shell, events = fresh(cell_limit=1000)
    reply = await shell.run_cell("for i in range(10_000):\n    print('x' * 9)\n'still running'")
    assert reply["status"] == "ok"
    text = stdout(events)
    assert text.startswith("x" * 9 + "\n")
    assert "output truncated: this cell printed more than 1,000 characters" in text
    assert len(text) < 1000 + 200
    assert of_type(events, "execute_result")[0]["data"]["text/plain"] == "'still running'"
    # The limit is per cell: the next one prints again.
    events.clear()
    await shell.run_cell("print('next cell')")
    assert stdout(events) == "next cell\n"
