// Two peer connections per page, as a kiosk or expert app has: one publishes (WHIP), one plays (WHEP).
window.vl = { pub: null, sub: null };

window.vlPublish = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of stream.getTracks()) {
    pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  }
  await pc.setLocalDescription(await pc.createOffer());
  window.vl.pub = pc;
  return pc.localDescription.sdp;
};

window.vlSubscribe = async () => {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.ontrack = (e) => {
    if (e.track.kind === 'video') {
      document.getElementById('remote').srcObject = new MediaStream([e.track]);
    }
  };
  await pc.setLocalDescription(await pc.createOffer());
  window.vl.sub = pc;
  return pc.localDescription.sdp;
};

window.vlAnswer = async (which, sdp) => {
  await window.vl[which].setRemoteDescription({ type: 'answer', sdp });
};

window.vlStats = async () => {
  const result = { framesDecoded: 0, videoPackets: 0, framesEncoded: 0, subState: window.vl.sub ? window.vl.sub.connectionState : 'none', pubState: window.vl.pub ? window.vl.pub.connectionState : 'none' };
  if (window.vl.sub) {
    (await window.vl.sub.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        result.framesDecoded += s.framesDecoded || 0;
        result.videoPackets += s.packetsReceived || 0;
      }
    });
  }
  if (window.vl.pub) {
    (await window.vl.pub.getStats()).forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        result.framesEncoded += s.framesEncoded || 0;
      }
    });
  }
  return result;
};

window.vlClose = () => {
  if (window.vl.pub) window.vl.pub.close();
  if (window.vl.sub) window.vl.sub.close();
};
