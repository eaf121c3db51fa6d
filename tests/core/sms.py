"""A stand-in SMS gateway (the real one is outside the project): it records what it is given."""

import threading
import time

from core.notifications import DeliveryError, SmsBackend


class RecordingSmsBackend(SmsBackend):
    sent: list[tuple[str, str]] = []
    fail = False
    delay = 0.0
    lock = threading.Lock()

    def send(self, recipient, body):
        if self.delay:
            time.sleep(self.delay)
        if self.fail:
            raise DeliveryError("gateway said no")
        with self.lock:
            self.sent.append((recipient, body))
        return str(len(self.sent))
