namespace VideoLink.Sip.Messages;

/// <summary>Method names (RFC 3261 §7.1 and extensions); case-sensitive per §7.1.</summary>
internal static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Register = "REGISTER";
    public const string Options = "OPTIONS";
    public const string Info = "INFO";
    public const string Update = "UPDATE";
    public const string Prack = "PRACK";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Message = "MESSAGE";
    public const string Refer = "REFER";
    public const string Publish = "PUBLISH";

    public const string Allowed = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER, UPDATE";

    public static string Intern(ReadOnlySpan<char> m) => m switch
    {
        Invite => Invite,
        Ack => Ack,
        Bye => Bye,
        Cancel => Cancel,
        Register => Register,
        Options => Options,
        Info => Info,
        Update => Update,
        Prack => Prack,
        Subscribe => Subscribe,
        Notify => Notify,
        Message => Message,
        Refer => Refer,
        Publish => Publish,
        _ => m.ToString(),
    };
}
