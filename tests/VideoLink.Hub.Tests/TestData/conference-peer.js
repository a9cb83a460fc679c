// A conference participant in headless Chromium: sends a sine tone (WebAudio) and the fake camera, receives the
// room's mix and the video chosen for it, and measures tones in what it hears (Goertzel over the last 2 s).
(() => {
  const state = { samples: new Float32Array(96000), write: 0, filled: 0, rate: 48000 };
  window.conf = state;

  window.joinConference = async (frequency) => {
    const ctx = new AudioContext({ sampleRate: 48000 });
    await ctx.resume();
    const osc = ctx.createOscillator();
    osc.frequency.value = frequency;
    const gain = ctx.createGain();
    gain.gain.value = 0.2;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const cam = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 } });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    state.pc = pc;
    pc.addTransceiver(dest.stream.getAudioTracks()[0], { direction: 'sendrecv' });
    const video = pc.addTransceiver(cam.getVideoTracks()[0], { direction: 'sendrecv' });
    const h264 = RTCRtpReceiver.getCapabilities('video').codecs.filter(c => c.mimeType === 'video/H264'
      && /packetization-mode=1/.test(c.sdpFmtpLine || '') && /profile-level-id=42e01f/.test(c.sdpFmtpLine || ''));
    video.setCodecPreferences(h264);
    pc.ontrack = (e) => {
      if (e.track.kind !== 'audio') {
        return;
      }
      const stream = new MediaStream([e.track]);
      const element = new Audio();
      element.srcObject = stream; // Chromium feeds remote audio to WebAudio only while an element plays it
      element.play();
      state.rate = ctx.sampleRate;
      const source = ctx.createMediaStreamSource(stream);
      const tap = ctx.createScriptProcessor(4096, 1, 1);
      tap.onaudioprocess = (ev) => {
        const input = ev.inputBuffer.getChannelData(0);
        for (let i = 0; i < input.length; i++) {
          state.samples[state.write] = input[i];
          state.write = (state.write + 1) % state.samples.length;
        }
        state.filled = Math.min(state.samples.length, state.filled + input.length);
      };
      source.connect(tap);
      tap.connect(ctx.destination);
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') { resolve(); return; }
      pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      setTimeout(resolve, 3000);
    });
    return pc.localDescription.sdp;
  };

  window.applyConferenceAnswer = (sdp) => state.pc.setRemoteDescription({ type: 'answer', sdp });

  // Amplitude of each frequency in the last 2 s heard (Goertzel, normalised so a full-scale sine reads 1).
  window.toneAmplitudes = (frequencies) => {
    const n = state.filled;
    const buf = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      buf[i] = state.samples[(state.write - n + i + state.samples.length) % state.samples.length];
    }
    return frequencies.map((f) => {
      const coeff = 2 * Math.cos(2 * Math.PI * f / state.rate);
      let s1 = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        const s = buf[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
      }
      const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
      return n > 0 ? 2 * Math.sqrt(Math.max(power, 0)) / n : 0;
    });
  };

  window.videoStats = async () => {
    let frames = 0, keyFrames = 0, width = 0;
    (await state.pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        frames = r.framesDecoded || 0;
        keyFrames = r.keyFramesDecoded || 0;
        width = r.frameWidth || 0;
      }
    });
    return { frames, keyFrames, width, connection: state.pc.connectionState };
  };
})();
