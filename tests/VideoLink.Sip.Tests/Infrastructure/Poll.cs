namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline instead of sleeping (STYLE.md §12).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? because = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Condition not met within " + timeout + (because is null ? "" : ": " + because));
            }
            await Task.Delay(20);
        }
    }
}
