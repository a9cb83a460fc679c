namespace VideoLink.Hub.Seeding;

/// <summary>A seed file that cannot be loaded; the message names the file, the place in it and the problem.</summary>
public sealed class SeedException(string message) : Exception(message);
