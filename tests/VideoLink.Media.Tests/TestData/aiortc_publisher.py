"""Publishes one media kind from python3-aiortc 1.4 to a VideoLink endpoint.

aiortc 1.4 delivers no media when one RTCPeerConnection carries both kinds (PROTOCOLS.md), so the test runs one
process per kind. Usage: aiortc_publisher.py audio|video SECONDS [WIDTHxHEIGHT]; with a size, video is a moving
pattern of that size (so a receiver can tell which publisher it is watching by the decoded width). Protocol on stdio, one JSON object per line:
  -> {"offer": sdp}        <- {"answer": sdp}        -> {"state": "..."} as the connection changes
"""
import asyncio
import fractions
import json
import math
import sys

import numpy
from av import AudioFrame, VideoFrame
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack, VideoStreamTrack


class ToneTrack(MediaStreamTrack):
    """A 440 Hz tone, 20 ms frames at 8 kHz, so PCMU carries real energy."""

    kind = "audio"

    def __init__(self):
        super().__init__()
        self._pts = 0
        self._start = None

    async def recv(self):
        loop = asyncio.get_event_loop()
        if self._start is None:
            self._start = loop.time()
        wait = self._start + self._pts / 8000 - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        t = (numpy.arange(160) + self._pts) / 8000
        samples = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 8000
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, 8000)
        self._pts += 160
        return frame


class PatternTrack(VideoStreamTrack):
    """A moving gradient of a chosen size, 30 frames/s (aiortc paces it)."""

    def __init__(self, width, height):
        super().__init__()
        self._width = width
        self._height = height
        self._n = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        ramp = numpy.arange(self._width, dtype=numpy.uint16)
        row = ((ramp + self._n * 4) % 256).astype(numpy.uint8)
        image = numpy.zeros((self._height, self._width, 3), dtype=numpy.uint8)
        image[:, :, 0] = row
        image[:, :, 1] = 255 - row
        image[:, :, 2] = (self._n * 3) % 256
        self._n += 1
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


def video_track(size):
    if size is None:
        return VideoStreamTrack()
    width, height = (int(v) for v in size.lower().split("x"))
    return PatternTrack(width, height)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def main(kind, seconds, size):
    pc = RTCPeerConnection()
    pc.addTransceiver(ToneTrack() if kind == "audio" else video_track(size), direction="sendonly")

    @pc.on("connectionstatechange")
    async def on_state():
        emit({"state": pc.connectionState})

    await pc.setLocalDescription(await pc.createOffer())
    emit({"offer": pc.localDescription.sdp})
    line = await asyncio.get_event_loop().run_in_executor(None, sys.stdin.readline)
    answer = json.loads(line)["answer"]
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.sleep(seconds)
    await pc.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
