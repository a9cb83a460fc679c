"""Subscribes to one media kind with python3-aiortc 1.4 (one RTCPeerConnection per kind) and reports what it decodes.

Protocol on stdio, one JSON object per line:
  -> {"offer": sdp}    <- {"answer": sdp}    -> {"frames": n, "energy": e} after each decoded frame
"""
import asyncio
import json
import sys

import numpy
from aiortc import RTCPeerConnection, RTCSessionDescription


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def main(kind, seconds):
    pc = RTCPeerConnection()
    pc.addTransceiver(kind, direction="recvonly")

    @pc.on("track")
    def on_track(track):
        async def consume():
            frames = 0
            energy = 0.0
            while True:
                frame = await track.recv()
                frames += 1
                if kind == "audio":
                    samples = frame.to_ndarray().astype(numpy.float64) / 32768.0
                    energy += float(numpy.mean(samples * samples))
                emit({"frames": frames, "energy": energy, "width": getattr(frame, "width", 0)})

        asyncio.ensure_future(consume())

    await pc.setLocalDescription(await pc.createOffer())
    emit({"offer": pc.localDescription.sdp})
    line = await asyncio.get_event_loop().run_in_executor(None, sys.stdin.readline)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=json.loads(line)["answer"], type="answer"))
    await asyncio.sleep(seconds)
    await pc.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
