using VideoLink.Hub.Hosting;

// VideoLink hub: one process for directory, SIP, WebRTC, rooms and scheduling (see README.md and docs/).
var builder = WebApplication.CreateBuilder(args);
builder.AddVideoLinkHub(args);
var app = builder.Build();
app.UseVideoLinkHub();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
