using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Interop;

/// <summary>SIPp 3.6 against a real server on 127.0.0.1 (issue 4, item 8).</summary>
public sealed class SippTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string[] Caller(string user, string password, string service, string domain = "127.0.0.1") =>
        ["-key", "user", user, "-au", user, "-ap", password, "-s", service, "-key", "domain", domain];

    [Fact]
    public async Task Register_WithDigest_IsChallengedThenAccepted()
    {
        await using var server = await TestServer.StartAsync();
        var online = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.RegistrationChanged += (_, e) =>
        {
            if (e.IsOnline)
            {
                online.TrySetResult(e.User);
            }
        };

        var result = await Sipp.RunAsync("register_digest.xml", server.UdpPort, Caller("alice", "alice-secret", "x"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("alice", await online.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(server.Server.IsOnline("alice"));
    }

    [Fact]
    public async Task Register_OverTcp_IsChallengedThenAccepted()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("register_digest.xml", server.TcpPort, Caller("bob", "bob-secret", "x"), Timeout, transport: "t1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(server.Server.IsOnline("bob"));
    }

    [Fact]
    public async Task Register_WithWrongPassword_IsChallengedThenRejected()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("register_wrong_password.xml", server.UdpPort, Caller("alice", "not-the-password", "x"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(server.Server.IsOnline("alice"));
    }

    [Fact]
    public async Task InviteEcho_WithAuth_AnswersHoldsAndHangsUp()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_echo.xml", server.UdpPort, Caller("alice", "alice-secret", "echo"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task InviteEcho_OverTcp_AnswersAndHangsUp()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_echo.xml", server.TcpPort, Caller("alice", "alice-secret", "echo"), Timeout, transport: "t1");

        Assert.True(result.ExitCode == 0, result.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task InviteEcho_WithoutSdp_HubOffersAndAckAnswers()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_echo_late_offer.xml", server.UdpPort, Caller("alice", "alice-secret", "echo"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancel_BeforeAnswer_Gets487()
    {
        await using var server = await TestServer.StartAsync(o => o.EchoAnswerDelay = TimeSpan.FromSeconds(30));

        var result = await Sipp.RunAsync("cancel_before_answer.xml", server.UdpPort, Caller("alice", "alice-secret", "echo"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Invite_ToUnknownUser_Gets404()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_unknown_user.xml", server.UdpPort, Caller("alice", "alice-secret", "nobody"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Invite_ToUnregisteredAccount_Gets480()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_offline_user.xml", server.UdpPort, Caller("alice", "alice-secret", "carol"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Invite_ToForeignDomain_IsRefusedWithoutRelay()
    {
        await using var server = await TestServer.StartAsync();

        var result = await Sipp.RunAsync("invite_relay_denied.xml", server.UdpPort, Caller("alice", "alice-secret", "someone", "example.com"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, server.Server.ActiveCalls);
    }

    [Fact]
    public async Task Call_BetweenSippPhones_IsBridgedByTheB2bua_AndHoldIsPassedOn()
    {
        await using var server = await TestServer.StartAsync();
        int bobPort = Sipp.FreePort();
        // bob's phone: a SIPp UAS on bobPort; a second SIPp registers that contact with digest.
        var bobPhone = Sipp.RunAsync("uas_answer_hold.xml", server.UdpPort, ["-mp", Sipp.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], Timeout, "u1", bobPort);
        var register = await Sipp.RunAsync("register_contact.xml", server.UdpPort,
            [.. Caller("bob", "bob-secret", "x"), "-key", "contact_port", bobPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], Timeout);
        Assert.True(register.ExitCode == 0, register.ToString());

        var alice = await Sipp.RunAsync("invite_echo.xml", server.UdpPort, Caller("alice", "alice-secret", "bob"), Timeout);

        Assert.True(alice.ExitCode == 0, alice.ToString());
        var bob = await bobPhone.WaitAsync(Timeout);
        Assert.True(bob.ExitCode == 0, bob.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Call_ToSippPhoneWithEarlyMedia_CallerGets183WithSdp()
    {
        await using var server = await TestServer.StartAsync();
        int bobPort = Sipp.FreePort();
        var bobPhone = Sipp.RunAsync("uas_early_media.xml", server.UdpPort, ["-mp", Sipp.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], Timeout, "u1", bobPort);
        var register = await Sipp.RunAsync("register_contact.xml", server.UdpPort,
            [.. Caller("bob", "bob-secret", "x"), "-key", "contact_port", bobPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], Timeout);
        Assert.True(register.ExitCode == 0, register.ToString());

        var alice = await Sipp.RunAsync("invite_early_media.xml", server.UdpPort, Caller("alice", "alice-secret", "bob"), Timeout);

        Assert.True(alice.ExitCode == 0, alice.ToString());
        var bob = await bobPhone.WaitAsync(Timeout);
        Assert.True(bob.ExitCode == 0, bob.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }
}
