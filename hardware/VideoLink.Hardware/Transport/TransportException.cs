namespace VideoLink.Hardware.Transport;

/// <summary>A device link could not be opened or failed.</summary>
public class TransportException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TransportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The link is not open or was lost while in use (unplug, hang-up, reset).</summary>
public sealed class TransportClosedException : TransportException
{
    /// <summary>Creates the exception.</summary>
    public TransportClosedException()
        : base("The device link is closed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransportClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransportClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
