using VideoLink.StationAgent.Contracts;
using VideoLink.StationAgent.Journal;

namespace VideoLink.StationAgent.Tests.Journal;

public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, true);

    private static CheckInUpload Swipe(string who = "card-1") => new(Guid.NewGuid(), "icreader", "IcCard", who, "****0001", null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Append_SurvivesReopening_UntilMarkedUploaded()
    {
        var entry = Swipe();
        using (var outbox = new Outbox(_folder))
        {
            await outbox.AppendAsync(entry, CancellationToken.None);
        }

        using var reopened = new Outbox(_folder);
        var pending = await reopened.PendingAsync(10, CancellationToken.None);
        await reopened.MarkUploadedAsync([entry.Id], CancellationToken.None);

        Assert.Equal(entry.Id, Assert.Single(pending).Id);
        Assert.Equal(0, await reopened.CountPendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Append_SameIdTwice_IsStoredOnce()
    {
        using var outbox = new Outbox(_folder);
        var entry = Swipe();

        await outbox.AppendAsync(entry, CancellationToken.None);
        await outbox.AppendAsync(entry, CancellationToken.None);

        Assert.Equal(1, await outbox.CountPendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Pending_KeepsOrder_AndOnlyUnacknowledged()
    {
        using var outbox = new Outbox(_folder);
        var entries = Enumerable.Range(0, 5).Select(i => Swipe("card-" + i)).ToList();
        foreach (var e in entries)
        {
            await outbox.AppendAsync(e, CancellationToken.None);
        }

        await outbox.MarkUploadedAsync([entries[1].Id, entries[3].Id], CancellationToken.None);
        var pending = await outbox.PendingAsync(10, CancellationToken.None);

        Assert.Equal([entries[0].Id, entries[2].Id, entries[4].Id], pending.Select(p => p.Id).ToArray());
    }
}
