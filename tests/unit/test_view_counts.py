"""Views are added up and written in batches; a failed write keeps them; nothing is lost at exit."""
from __future__ import annotations

import threading

from adapters.view_counts import BufferedViewCounter, DirectViewCounter


class Sink:
    def __init__(self, fail: int = 0) -> None:
        self.batches: list[dict[int, int]] = []
        self.fail = fail
        self.written = threading.Event()

    def __call__(self, counts: dict[int, int]) -> None:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("database away")
        self.batches.append(counts)
        self.written.set()


def test_views_are_added_up_and_written_together():
    sink = Sink()
    counter = BufferedViewCounter(sink, interval=3600)  # only explicit flushes here
    for work_id in (1, 2, 1, 1):
        counter.count(work_id)
    counter.flush()
    assert sink.batches == [{1: 3, 2: 1}]
    counter.flush()  # nothing pending: no write
    assert len(sink.batches) == 1


def test_a_failed_write_keeps_the_views_for_the_next():
    sink = Sink(fail=1)
    counter = BufferedViewCounter(sink, interval=3600)
    counter.count(7)
    counter.flush()
    counter.count(7)
    counter.flush()
    assert sink.batches == [{7: 2}]


def test_the_background_writer_writes_without_being_asked():
    sink = Sink()
    counter = BufferedViewCounter(sink, interval=0.01)
    counter.count(3)
    assert sink.written.wait(30)  # generous: a busy machine may be slow to schedule the thread
    assert sink.batches[0] == {3: 1}


def test_threads_counting_at_once_lose_nothing():
    sink = Sink()
    counter = BufferedViewCounter(sink, interval=0.001)
    threads = [threading.Thread(target=lambda: [counter.count(1) for _ in range(500)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counter.flush()
    assert sum(b.get(1, 0) for b in sink.batches) == 2000


def test_direct_counting_writes_each_view():
    sink = Sink()
    DirectViewCounter(sink).count(5)
    assert sink.batches == [{5: 1}]
