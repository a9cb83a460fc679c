using Microsoft.Extensions.Hosting;

// The station agent: drives the site's devices and keeps the attendance journal (see docs/station-agent.md).
var builder = Host.CreateApplicationBuilder(args);
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
