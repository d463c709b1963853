using Microsoft.Extensions.Hosting;

// The embedded default: one silo on loopback. Grains, options and the data directory arrive with the
// single-silo issue; this host already starts and stops cleanly.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 11111, gatewayPort: 30000, serviceId: "orlog", clusterId: "orlog"));
await builder.Build().RunAsync();
