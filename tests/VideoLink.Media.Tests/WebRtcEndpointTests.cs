using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using VideoLink.Media.Dtls;
using VideoLink.Media.Ice;
using VideoLink.Media.Rtp;
using VideoLink.Media.Sdp;
using VideoLink.Media.Srtp;
using VideoLink.Media.Tests.Support;

namespace VideoLink.Media.Tests;

/// <summary>The endpoint on a real UDP socket against an in-process client (ICE, BouncyCastle DTLS client, SRTP).</summary>
public sealed class WebRtcEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private WebRtcEndpoint _endpoint = null!;
    private TestWebRtcClient _client = null!;

    public Task InitializeAsync()
    {
        _endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        _client = new TestWebRtcClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_FromSeveralCallersAtOnce_NoCallerFails_AndEachReturnsOnlyOnceThePortIsClosed()
    {
        // The host's stop and the container's disposal may overlap. A caller that comes back must find the work done,
        // not merely begun by another caller (CI once saw the second caller hit the first's disposed token source).
        var peer = CreatePeer(_endpoint, _client);
        var port = _endpoint.LocalEndPoint;
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 16).Select(caller => Task.Factory.StartNew(async () =>
        {
            start.Wait();
            Thread.SpinWait(caller * 1_000); // the callers arrive spread over the first caller's work
            await _endpoint.DisposeAsync();
            lock (start)
            {
                // The media port is free again: the socket is closed, not about to be.
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(port);
            }

            return peer.State;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();

        start.Set();
        var seen = await Task.WhenAll(callers).WaitAsync(Timeout);

        Assert.All(seen, state => Assert.Equal(WebRtcPeerState.Closed, state));
        Assert.Throws<ObjectDisposedException>(() => _endpoint.CreatePeer("v=0"));
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task BindingRequest_WithCorrectCredentials_GetsAuthenticatedSuccessWithMappedAddress()
    {
        var peer = CreatePeer(_endpoint, _client);

        var response = await _client.CheckAsync(useCandidate: true, Timeout);

        Assert.NotNull(response);
        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.Equal(Stun.BindingSuccess, message.Type);
        Assert.True(message.VerifyIntegrity(response, System.Text.Encoding.ASCII.GetBytes(_client.ServerPassword)));
        Assert.True(message.VerifyFingerprint(response));
        Assert.Equal(_client.LocalEndPoint, peer.RemoteEndPoint);
        Assert.Equal(WebRtcPeerState.Connecting, peer.State);
    }

    [Fact]
    public async Task BindingRequest_WithWrongPassword_IsDroppedAndCounted()
    {
        var peer = CreatePeer(_endpoint, _client);

        var response = await _client.CheckAsync(useCandidate: true, TimeSpan.FromMilliseconds(300), password: "not-the-password-at-all");

        Assert.Null(response);
        await WaitForAsync(() => _endpoint.Counters.StunIntegrityFailed == 1);
        Assert.Null(peer.RemoteEndPoint);
    }

    [Fact]
    public async Task BindingRequest_ForUnknownUfrag_IsCounted()
    {
        CreatePeer(_endpoint, _client);

        var response = await _client.CheckAsync(useCandidate: true, TimeSpan.FromMilliseconds(300), username: "nobody:" + _client.Ufrag);

        Assert.Null(response);
        await WaitForAsync(() => _endpoint.Counters.StunUnknownUsername == 1);
    }

    [Fact]
    public async Task FullSession_IceDtlsSrtp_RtpAndRtcpFlowBothWays()
    {
        var peer = CreatePeer(_endpoint, _client);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.RtpReceived += (_, packet) => received.TrySetResult(packet.ToArray());
        Assert.NotNull(await _client.CheckAsync(useCandidate: true, Timeout));

        await _client.ConnectDtlsAsync(Timeout);
        await peer.WhenConnected.WaitAsync(Timeout);

        // Client → endpoint.
        _client.SendRtp(0, 1, 160, 1111, "hello"u8);
        var rtp = await received.Task.WaitAsync(Timeout);
        Assert.True(RtpHeader.TryParse(rtp, out var header));
        Assert.Equal("hello"u8.ToArray(), header.Payload(rtp).ToArray());

        // Endpoint → client, RTP and a PLI for the client's video SSRC.
        var buffer = new byte[64];
        var n = RtpWriter.WriteHeader(buffer, false, 108, 9, 90000, peer.Video!.LocalSsrc);
        "world"u8.CopyTo(buffer.AsSpan(n));
        Assert.True(peer.SendRtp(buffer.AsSpan(0, n + 5)));
        var back = await _client.ReceivedRtp.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(RtpHeader.TryParse(back, out var backHeader));
        Assert.Equal("world"u8.ToArray(), backHeader.Payload(back).ToArray());

        Assert.True(peer.RequestKeyFrame());
        var pli = await _client.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
        var reader = new RtcpReader(pli);
        Assert.True(reader.TryRead(out var feedback));
        Assert.True(feedback.IsPli);
        Assert.Equal(2222u, feedback.MediaSsrc);

        Assert.True(peer.SendBitrateCap(800_000));
        var remb = await _client.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
        reader = new RtcpReader(remb);
        Assert.True(reader.TryRead(out var rembPacket));
        Assert.True(rembPacket.IsRemb(remb));
        Assert.InRange(RtcpReader.ReadRembBitrate(remb, rembPacket), 799_000UL, 800_000UL);
    }

    [Fact]
    public async Task SenderReport_IsAnsweredWithReceiverReportOfTrueLoss_AndRembWhenCapped()
    {
        var peer = await ConnectAsync();
        peer.ReceiveBitrateCap = 1_000_000;
        var delivered = 0;
        peer.RtpReceived += (_, _) => Interlocked.Increment(ref delivered);
        foreach (ushort seq in (ushort[])[1, 2, 3, 5, 6]) // 4 is lost
        {
            _client.SendRtp(0, seq, seq * 160u, 1111, new byte[160]);
        }

        await WaitForAsync(() => Volatile.Read(ref delivered) == 5);
        var sr = new byte[28];
        RtcpWriter.WriteSenderReport(sr, 1111, 0x0000_ABCD_EF01_0000, 960, 5, 800);
        _client.SendRtcp(sr);

        var report = await _client.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
        var reader = new RtcpReader(report);
        Assert.True(reader.TryRead(out var rr));
        Assert.Equal(RtcpType.ReceiverReport, rr.PacketType);
        Span<RtcpReportBlock> blocks = new RtcpReportBlock[4];
        Assert.Equal(1, RtcpReader.ReadReportBlocks(report, rr, blocks));
        Assert.Equal(1111u, blocks[0].Ssrc);
        Assert.Equal(1, blocks[0].CumulativeLost);
        Assert.Equal(6u, blocks[0].HighestSequence);
        Assert.Equal(0xABCD_EF01u, blocks[0].LastSr);
        Assert.True(reader.TryRead(out var remb));
        Assert.True(remb.IsRemb(report));
        Assert.InRange(RtcpReader.ReadRembBitrate(report, remb), 990_000UL, 1_000_000UL);
    }

    [Fact]
    public async Task ClientCertificateNotMatchingOfferedFingerprint_FailsHandshakeAndClosesPeer()
    {
        _client.AdvertisedFingerprint = DtlsCertificate.Generate("someone-else").Fingerprint;
        var peer = CreatePeer(_endpoint, _client);
        Assert.NotNull(await _client.CheckAsync(useCandidate: true, Timeout));

        await Assert.ThrowsAnyAsync<Exception>(() => _client.ConnectDtlsAsync(Timeout));
        await peer.WhenClosed.WaitAsync(Timeout);

        Assert.StartsWith("DTLS failed", peer.CloseReason, StringComparison.Ordinal);
        Assert.Equal(1, _endpoint.Counters.HandshakesFailed);
        Assert.Equal(0, _endpoint.Counters.RtpDelivered);
    }

    [Theory]
    [InlineData("actpass", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "SRTP_AEAD_AES_128_GCM")]
    [InlineData("actpass", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80")] // a peer without GCM (aiortc 1.4)
    [InlineData("actpass", "AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80")] // the hub told to use CM only
    [InlineData("passive", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "SRTP_AEAD_AES_128_GCM")] // the hub as DTLS client offers GCM first
    [InlineData("passive", "AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_80,AEAD_AES_128_GCM", "SRTP_AES128_CM_HMAC_SHA1_80")] // … and the server chooses
    public async Task SrtpProfile_IsNegotiatedInUseSrtp_InEitherDtlsRole_AndMediaFlowsBothWaysWithIt(string setup, string hubProfiles, string peerProfiles, string expected)
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", SrtpProfiles = hubProfiles });
        await using var client = new TestWebRtcClient { Setup = setup, SrtpProfiles = SrtpProfiles.ParseList(peerProfiles)! };
        var peer = CreatePeer(endpoint, client);
        // A passive offer makes us the DTLS client: our ClientHello goes out once the ICE check selected the pair.
        Assert.Contains(setup == "passive" ? "a=setup:active" : "a=setup:passive", peer.AnswerSdp, StringComparison.Ordinal);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.RtpReceived += (_, _) => received.TrySetResult();
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));
        await client.ConnectDtlsAsync(Timeout);
        await peer.WhenConnected.WaitAsync(Timeout);

        client.SendRtp(0, 1, 160, 1111, "hi"u8);
        await received.Task.WaitAsync(Timeout);
        var buffer = new byte[64];
        var n = RtpWriter.WriteHeader(buffer, false, 0, 1, 160, peer.Audio!.LocalSsrc);
        Assert.True(peer.SendRtp(buffer.AsSpan(0, n + 4)));
        await client.ReceivedRtp.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(peer.RequestKeyFrame()); // SRTCP with the same profile
        await client.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(expected, peer.SrtpCipher);
        Assert.Equal(expected, client.NegotiatedSrtpProfile.Name());
        Assert.Equal(0xC02B, peer.DtlsCipherSuite); // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 in either role
    }

    [Fact]
    public async Task NoSrtpProfileInCommon_FailsTheHandshake_AndClosesThePeer()
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", SrtpProfiles = "AES_CM_128_HMAC_SHA1_80" });
        await using var client = new TestWebRtcClient { SrtpProfiles = [SrtpProfile.AeadAes128Gcm] };
        var peer = CreatePeer(endpoint, client);
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectDtlsAsync(Timeout));
        await peer.WhenClosed.WaitAsync(Timeout);

        Assert.StartsWith("DTLS failed", peer.CloseReason, StringComparison.Ordinal);
        Assert.Equal(1, endpoint.Counters.HandshakesFailed);
    }

    [Fact]
    public async Task ThrowingApplicationHandler_IsCounted_AndDeliveryContinues()
    {
        var peer = await ConnectAsync();
        var calls = 0;
        peer.RtpReceived += (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("bug in a room handler");
            }
        };

        _client.SendRtp(0, 1, 160, 1111, "a"u8);
        _client.SendRtp(0, 2, 320, 1111, "b"u8);

        await WaitForAsync(() => Volatile.Read(ref calls) == 2);
        Assert.Equal(1, _endpoint.Counters.HandlerErrors);
        Assert.Equal(0, _endpoint.Counters.ReceiveErrors);
        Assert.Equal(WebRtcPeerState.Connected, peer.State);
    }

    [Fact]
    public async Task GapInVideoSequence_IsNackedAtOnce()
    {
        var peer = await ConnectAsync();
        foreach (ushort seq in (ushort[])[10, 11, 14])
        {
            _client.SendRtp(108, seq, seq * 3000u, 2222, [0x41]);
        }

        var rtcp = await _client.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
        var reader = new RtcpReader(rtcp);
        Assert.True(reader.TryRead(out var nack));
        Assert.True(nack.IsNack);
        Assert.Equal(2222u, nack.MediaSsrc);
        Span<ushort> lost = stackalloc ushort[17];
        Assert.Equal(new ushort[] { 12, 13 }, lost[..RtcpReader.ReadNack(rtcp, nack, lost)].ToArray());
        Assert.Equal(WebRtcPeerState.Connected, peer.State);
    }

    [Fact]
    public async Task ReplayedSrtp_IsCountedAndNotDelivered()
    {
        var peer = await ConnectAsync();
        var delivered = 0;
        peer.RtpReceived += (_, _) => Interlocked.Increment(ref delivered);

        var packet = _client.SendRtp(0, 5, 800, 1111, "once"u8);
        _client.SendRaw(packet);

        await WaitForAsync(() => _endpoint.Counters.SrtpReplayed == 1);
        Assert.Equal(1, Volatile.Read(ref delivered));
    }

    [Fact]
    public async Task Media_FromAddressOtherThanSelectedPair_IsDropped()
    {
        var peer = await ConnectAsync();
        var delivered = 0;
        peer.RtpReceived += (_, _) => Interlocked.Increment(ref delivered);
        var legit = _client.SendRtp(0, 7, 800, 1111, "ok"u8);
        await WaitForAsync(() => Volatile.Read(ref delivered) == 1);

        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        intruder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        legit[3] ^= 0x10; // a different packet so it would not merely be a replay
        intruder.SendTo(legit, _client.Server!);

        await WaitForAsync(() => _endpoint.Counters.FromUnselectedAddress == 1);
        Assert.Equal(1, Volatile.Read(ref delivered));
    }

    [Fact]
    public void Nomination_OfAnotherPair_MovesTheSelectedPair_ButAPlainCheckDoesNot()
    {
        var peer = CreatePeer(_endpoint, _client);
        var first = new IPEndPoint(IPAddress.Loopback, 41001);
        var second = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 41002); // another host candidate of the browser
        var third = new IPEndPoint(IPAddress.Loopback, 41003);

        Assert.True(peer.OnAuthenticatedBinding(first.Serialize(), useCandidate: false)); // the first check carries DTLS
        Assert.True(peer.OnAuthenticatedBinding(first.Serialize(), useCandidate: true) is false); // nominated in place
        Assert.Equal(first, peer.RemoteEndPoint);

        Assert.False(peer.OnAuthenticatedBinding(third.Serialize(), useCandidate: false)); // a check alone moves nothing
        Assert.Equal(first, peer.RemoteEndPoint);

        Assert.True(peer.OnAuthenticatedBinding(second.Serialize(), useCandidate: true)); // the browser switched pairs
        Assert.Equal(second, peer.RemoteEndPoint);
        Assert.False(peer.OnAuthenticatedBinding(first.Serialize(), useCandidate: false));
        Assert.Equal(second, peer.RemoteEndPoint);
    }

    [Fact]
    public async Task SilentPeer_AfterConsentTimeout_IsClosed()
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", ConsentTimeoutSeconds = 1 });
        await using var client = new TestWebRtcClient();
        var peer = CreatePeer(endpoint, client);
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));
        await client.ConnectDtlsAsync(Timeout);
        await peer.WhenConnected.WaitAsync(Timeout);

        // No more Binding Requests: consent (RFC 7675) lapses.
        await peer.WhenClosed.WaitAsync(Timeout);

        Assert.Equal("consent expired", peer.CloseReason);
        Assert.Equal(1, endpoint.Counters.ConsentExpired);
        Assert.Equal(0, endpoint.PeerCount);
    }

    [Fact]
    public async Task PeerThatNeverHandshakes_IsClosedAfterHandshakeTimeout()
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", HandshakeTimeoutSeconds = 1 });
        await using var client = new TestWebRtcClient();
        var peer = CreatePeer(endpoint, client);
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));

        await peer.WhenClosed.WaitAsync(Timeout);

        Assert.Equal(WebRtcPeerState.Closed, peer.State);
        Assert.Equal(1, endpoint.Counters.HandshakesFailed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => peer.WhenConnected);
    }

    [Fact]
    public async Task PeerThatStallsMidHandshake_IsClosedAndCounted()
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", HandshakeTimeoutSeconds = 2 });
        var client = new TestWebRtcClient();
        var peer = CreatePeer(endpoint, client);
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));

        // The client sends its ClientHello but never hears the server's flight, so never sends its own.
        client.IgnoreDtls = true;
        var handshake = client.ConnectDtlsAsync(Timeout);
        await WaitForAsync(() => peer.ClientHelloFragments > 0);

        await peer.WhenClosed.WaitAsync(Timeout);
        await client.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        Assert.Equal("ICE/DTLS did not complete in time", peer.CloseReason);
        Assert.Equal(1, endpoint.Counters.HandshakesFailed);
        Assert.Equal(0, endpoint.PeerCount);
    }

    [Fact]
    public async Task EarlySrtp_BeforeKeys_IsHeldAndDeliveredOnceKeysArrive()
    {
        var peer = CreatePeer(_endpoint, _client);
        var clientKey = new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));
        var serverKey = new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));
        using var sender = new SrtpContext(clientKey);
        var delivered = new List<ushort>();
        peer.RtpReceived += (_, packet) => delivered.Add((ushort)((packet[2] << 8) | packet[3]));

        for (ushort seq = 1; seq <= 3; seq++)
        {
            var buffer = new byte[128];
            var n = RtpWriter.WriteHeader(buffer, seq == 1, 108, seq, 0, 2222);
            buffer[n] = 0x65; // IDR: the keyframe that must not be lost
            n = sender.ProtectRtp(buffer, n + 10);
            peer.OnSrtp(buffer.AsSpan(0, n), isRtcp: false);
        }

        Assert.Empty(delivered);
        Assert.Equal(3, _endpoint.Counters.EarlyPacketsHeld);

        Assert.True(peer.InstallKeys(clientKey, serverKey));

        Assert.Equal(new ushort[] { 1, 2, 3 }, delivered);
        Assert.Equal(WebRtcPeerState.Connected, peer.State);
        await peer.WhenConnected.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RandomAndTruncatedDatagrams_AreCountedAndReceiveLoopKeepsServing()
    {
        var peer = await ConnectAsync();
        var rng = new Random(20261122);
        var baseline = _endpoint.Counters.DatagramsReceived;
        var sent = 0;

        // Sent in small batches, each awaited, so the socket buffer never overflows and every datagram is seen.
        async Task SendAsync(byte[] datagram)
        {
            _client.SendRaw(datagram);
            if (++sent % 50 == 0)
            {
                await WaitForAsync(() => _endpoint.Counters.DatagramsReceived >= baseline + sent);
            }
        }

        // Random bytes with every first-byte class, then truncated SRTP, STUN and DTLS.
        for (var i = 0; i < 600; i++)
        {
            var datagram = new byte[rng.Next(1, 1400)];
            rng.NextBytes(datagram);
            await SendAsync(datagram);
        }

        var srtp = _client.SendRtp(0, 100, 16000, 1111, new byte[160]);
        sent++;
        for (var n = 1; n < srtp.Length; n += 3)
        {
            await SendAsync(srtp[..n]);
        }

        var stunBuffer = new byte[64];
        var writer = new StunWriter(stunBuffer, Stun.BindingRequest, new byte[12]);
        writer.AddAttribute(Stun.AttrUsername, "abc:def"u8);
        var stun = stunBuffer[..writer.Length];
        for (var n = 1; n < stun.Length; n++)
        {
            await SendAsync(stun[..n]);
        }

        await SendAsync([22, 0xFE, 0xFD, 0, 0]); // truncated DTLS record

        await WaitForAsync(() => _endpoint.Counters.DatagramsReceived >= baseline + sent);
        var counters = _endpoint.Counters;
        Assert.Equal(0, counters.ReceiveErrors);
        Assert.True(counters.UnknownProtocol > 0);
        Assert.True(counters.MalformedStun > 0);
        Assert.True(counters.SrtpAuthenticationFailed + counters.MalformedRtp > 0);

        // Still serving: a fresh check is answered and media still flows.
        Assert.NotNull(await _client.CheckAsync(useCandidate: true, Timeout));
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.RtpReceived += (_, _) => delivered.TrySetResult();
        _client.SendRtp(0, 200, 32000, 1111, "still alive"u8);
        await delivered.Task.WaitAsync(Timeout);
        Assert.Equal(WebRtcPeerState.Connected, peer.State);
    }

    [Fact]
    public async Task AnyAddressWithoutAdvertisedAddresses_OffersInterfaceAddressesNotLoopback()
    {
        await using var endpoint = NewEndpoint(new MediaOptions { Port = 0, BindAddress = "0.0.0.0" });
        var answer = endpoint.CreatePeer(_client.CreateOffer()).Peer!.AnswerSdp;
        var candidates = answer.Split("\r\n").Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(candidates);
        var hasExternal = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Any(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up
                && n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback
                && n.GetIPProperties().UnicastAddresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address)));
        if (hasExternal)
        {
            Assert.DoesNotContain(candidates, c => c.Contains(" 127.0.0.1 ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CreatePeer_WithUnservableOffer_ReturnsErrorAndNoPeer()
    {
        var result = _endpoint.CreatePeer("v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
        Assert.False(result.Succeeded);
        Assert.NotEqual(SdpError.None, result.Error);
        Assert.Equal(0, _endpoint.PeerCount);
    }

    private static WebRtcEndpoint NewEndpoint(MediaOptions options)
    {
        var endpoint = new WebRtcEndpoint(options);
        endpoint.Start();
        return endpoint;
    }

    private static WebRtcPeer CreatePeer(WebRtcEndpoint endpoint, TestWebRtcClient client)
    {
        var result = endpoint.CreatePeer(client.CreateOffer());
        Assert.True(result.Succeeded, result.ErrorMessage);
        client.ApplyAnswer(result.Peer!.AnswerSdp);
        return result.Peer;
    }

    private Task<WebRtcPeer> ConnectAsync() => ConnectAsync(_endpoint, _client);

    internal static async Task<WebRtcPeer> ConnectAsync(WebRtcEndpoint endpoint, TestWebRtcClient client, string direction = "sendrecv")
    {
        var result = endpoint.CreatePeer(client.CreateOffer(direction, direction));
        Assert.True(result.Succeeded, result.ErrorMessage);
        var peer = result.Peer!;
        client.ApplyAnswer(peer.AnswerSdp);
        Assert.NotNull(await client.CheckAsync(useCandidate: true, Timeout));
        await client.ConnectDtlsAsync(Timeout);
        await peer.WhenConnected.WaitAsync(Timeout);
        return peer;
    }

    /// <summary>Polls a condition with a deadline (no fixed sleeps).</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
