// Two peer connections per page, as a kiosk or expert app has: one publishes (WHIP), one plays (WHEP).
window.vl = { pub: null, sub: null };

// Each side publishes its own picture shape (4:3 or 16:9), so a player's frame size tells whose video it decodes
// even when the sender's encoder scales the picture down. The picture is a canvas of exactly that size (the fake
// camera only offers its own list of sizes); the sound is the fake microphone.
window.vlPublish = async (width = 320, height = 240) => {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  let n = 0;
  window.vl.painter = setInterval(() => {
    ctx.fillStyle = n % 2 ? '#204080' : '#2a6ab0';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.font = '24px sans-serif';
    ctx.fillText(String(n++), 16, 40);
  }, 66);
  const stream = new MediaStream([...mic.getAudioTracks(), ...canvas.captureStream(15).getVideoTracks()]);
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
  const result = { framesDecoded: 0, videoPackets: 0, frameWidth: 0, frameHeight: 0, sentWidth: 0, sentHeight: 0, audioPackets: 0, framesEncoded: 0, subState: window.vl.sub ? window.vl.sub.connectionState : 'none', pubState: window.vl.pub ? window.vl.pub.connectionState : 'none' };
  if (window.vl.sub) {
    (await window.vl.sub.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        result.framesDecoded += s.framesDecoded || 0;
        result.videoPackets += s.packetsReceived || 0;
        result.frameWidth = s.frameWidth || result.frameWidth;
        result.frameHeight = s.frameHeight || result.frameHeight;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        result.audioPackets += s.packetsReceived || 0;
      }
    });
  }
  if (window.vl.pub) {
    (await window.vl.pub.getStats()).forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        result.framesEncoded += s.framesEncoded || 0;
        result.sentWidth = s.frameWidth || result.sentWidth;
        result.sentHeight = s.frameHeight || result.sentHeight;
      }
    });
  }
  return result;
};

window.vlClose = () => {
  clearInterval(window.vl.painter);
  if (window.vl.pub) window.vl.pub.close();
  if (window.vl.sub) window.vl.sub.close();
};
