using Npgsql;
using Orlog.Silo;
using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>
/// deploy/docker/compose.yaml, checked by hand against the Compose specification's structure and against
/// the image it builds (no container engine runs here: nothing is started).
/// </summary>
public sealed class ComposeFileTests
{
    private readonly YamlMappingNode _compose = ComposeFile.Load();

    [Fact]
    public void The_file_has_the_structure_compose_requires()
    {
        foreach (var key in _compose.Keys())
        {
            Assert.True(ComposeFile.TopLevelKeys.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal), $"'{key}' is not a top-level key of the Compose specification");
        }
        var services = ComposeFile.Services(_compose);
        Assert.NotEmpty(services.Children);
        foreach (var (key, node) in services.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var service = Assert.IsType<YamlMappingNode>(node);
            foreach (var serviceKey in service.Keys())
            {
                Assert.True(ComposeFile.ServiceKeys.Contains(serviceKey) || serviceKey.StartsWith("x-", StringComparison.Ordinal), $"service {name}: '{serviceKey}' is not a service key of the Compose specification");
            }
            Assert.True(service.At("image") is not null || service.At("build") is not null, $"service {name} has neither image nor build");
            if (service.Text("restart") is { } restart)
            {
                Assert.Matches("^(no|always|unless-stopped|on-failure(:[0-9]+)?)$", restart);
            }
            if (service.Text("stop_grace_period") is { } grace)
            {
                ComposeFile.ParseDuration(grace);
            }
            foreach (var port in service.Items("ports"))
            {
                Assert.Matches(@"^((\d{1,3}\.){3}\d{1,3}:)?(\d+:)?\d+(/(tcp|udp))?$", Assert.IsType<YamlScalarNode>(port).Value!);
            }
            if (service.At("depends_on") is YamlMappingNode dependencies)
            {
                foreach (var (dependency, how) in dependencies.Children)
                {
                    var other = ((YamlScalarNode)dependency).Value!;
                    Assert.True(services.At(other) is not null, $"service {name} depends on {other}, which is not a service");
                    var condition = how.Text("condition") ?? "service_started";
                    Assert.Contains(condition, ComposeFile.DependencyConditions);
                    if (condition == "service_healthy")
                    {
                        Assert.True(services.At(other, "healthcheck", "test") is not null, $"{name} waits for {other} to be healthy, and {other} has no healthcheck");
                    }
                }
            }
            ComposeFile.Environment(service);
        }
    }

    [Fact]
    public void Every_named_volume_a_service_mounts_is_declared_and_every_declared_one_is_used()
    {
        var declared = _compose.At("volumes") is YamlMappingNode volumes ? volumes.Keys().ToHashSet() : [];
        var used = new HashSet<string>();
        foreach (var (_, service) in ComposeFile.Services(_compose).Children)
        {
            foreach (var volume in service.Items("volumes"))
            {
                var source = Assert.IsType<YamlScalarNode>(volume).Value!.Split(':')[0];
                // Short syntax: a source starting with '.', '/' or '~' is a bind mount, anything else a named volume.
                if (source[0] is not ('.' or '/' or '~'))
                {
                    Assert.Contains(source, declared);
                    used.Add(source);
                }
            }
        }
        Assert.Equal(declared.Order(), used.Order());
    }

    [Fact]
    public void Three_brokers_1_2_3_each_with_its_own_volume_on_the_image_data_directory_and_its_gateway_Kafka_listener_and_web_surface_published_on_loopback_under_its_own_ports()
    {
        var image = ImageSettings();
        var brokers = ComposeFile.Brokers(_compose);
        Assert.Equal(["1", "2", "3"], brokers.Select(broker => ComposeFile.Environment(broker.Service)["Orlog__BrokerId"]).Order());
        var volumes = new HashSet<string>();
        var hostPorts = new HashSet<string>();
        foreach (var (name, broker) in brokers)
        {
            var build = broker.Mapping("build");
            var dockerfile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DeployFiles.Compose)!, build.Text("context")!, build.Text("dockerfile")!));
            Assert.Equal(DeployFiles.Dockerfile, dockerfile);
            Assert.Equal(DeployFiles.RepositoryRoot, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DeployFiles.Compose)!, build.Text("context")!)).TrimEnd('/'));

            var volume = Assert.Single(broker.Items("volumes")) as YamlScalarNode;
            var parts = volume!.Value!.Split(':');
            Assert.Equal(image["Orlog__DataDirectory"], parts[1]);
            Assert.True(volumes.Add(parts[0]), $"{name} shares the volume {parts[0]}");

            // An Orleans client must address a gateway by the port it listens on, and by its own address or
            // loopback: the gateway takes any other address for another silo's (docs/deploy.md).
            var gatewayPort = ComposeFile.Environment(broker).GetValueOrDefault("Orlog__GatewayPort") ?? image["Orlog__GatewayPort"];
            var published = broker.Items("ports").Select(p => ((YamlScalarNode)p).Value!).ToList();
            Assert.Equal(3, published.Count);
            Assert.Equal($"127.0.0.1:{gatewayPort}:{gatewayPort}", published[0]);
            Assert.True(hostPorts.Add(gatewayPort), $"{name} publishes the host port {gatewayPort} of another broker");

            // Kafka clients are told the published address of each broker's Kafka listener, so a client on the
            // host reaches every leader.
            var kafkaPort = ComposeFile.Environment(broker).GetValueOrDefault("Orlog__KafkaPort") ?? image["Orlog__KafkaPort"];
            var kafka = published[1].Split(':');
            Assert.Equal(("127.0.0.1", kafkaPort), (kafka[0], kafka[2]));
            Assert.Equal($"PLAINTEXT://127.0.0.1:{kafka[1]}", ComposeFile.Environment(broker)["Orlog__AdvertisedListeners"]);
            Assert.True(hostPorts.Add(kafka[1]), $"{name} publishes the host port {kafka[1]} of another broker");

            // The web surface, on every interface of the container (so that it can be published) and so with
            // credentials, published on the host's loopback.
            var web = published[2].Split(':');
            Assert.Equal(("127.0.0.1", image["Orlog__WebPort"]), (web[0], web[2]));
            Assert.Equal("0.0.0.0", ComposeFile.Environment(broker)["Orlog__WebAddress"]);
            Assert.False(string.IsNullOrEmpty(ComposeFile.Environment(broker)["Orlog__WebToken"]));
            Assert.True(hostPorts.Add(web[1]), $"{name} publishes the host port {web[1]} of another broker");
        }
    }

    [Fact]
    public void The_brokers_use_the_PostgreSQL_15_service_with_its_database_user_and_password_and_wait_until_it_is_healthy()
    {
        var services = ComposeFile.Services(_compose);
        var (postgresName, postgres) = services.Children
            .Select(service => (Name: ((YamlScalarNode)service.Key).Value!, Service: service.Value))
            .Single(service => service.Service.Text("image") is { } image && image.StartsWith("postgres:", StringComparison.Ordinal));
        Assert.Matches(@"^postgres:15(\.\d+)?(-[a-z0-9]+)?$", postgres.Text("image")!);
        var database = ComposeFile.Environment(postgres);
        Assert.NotEmpty(postgres.Items("volumes"));

        foreach (var (name, broker) in ComposeFile.Brokers(_compose))
        {
            var clusterDb = new NpgsqlConnectionStringBuilder(ComposeFile.Environment(broker)["Orlog__ClusterDb"]);
            Assert.Equal(postgresName, clusterDb.Host);
            Assert.Equal(database["POSTGRES_DB"], clusterDb.Database);
            Assert.Equal(database["POSTGRES_USER"], clusterDb.Username);
            Assert.Equal(database["POSTGRES_PASSWORD"], clusterDb.Password);
            Assert.Equal("service_healthy", broker.Text("depends_on", postgresName, "condition"));
            Assert.Equal("on-failure", broker.Text("restart"));
        }
    }

    [Fact]
    public void Docker_waits_longer_than_the_silo_shutdown_timeout_before_it_kills_a_broker()
    {
        foreach (var (name, broker) in ComposeFile.Brokers(_compose))
        {
            // Unset, docker stop waits 10 s, less than a graceful stop may take.
            var grace = broker.Text("stop_grace_period");
            Assert.True(grace is not null, $"{name} has no stop_grace_period");
            Assert.True(ComposeFile.ParseDuration(grace) > OrlogSilo.ShutdownTimeout, $"{name}: stop_grace_period {grace} is not longer than the silo's {OrlogSilo.ShutdownTimeout.TotalSeconds} s shutdown timeout");
        }
    }

    [Fact]
    public void Every_setting_a_broker_gets_from_the_image_and_compose_is_one_the_silo_accepts()
    {
        foreach (var (name, broker) in ComposeFile.Brokers(_compose))
        {
            SiloSettingsCheck.AssertAccepted(OrlogSettings.From([.. ImageSettings(), .. ComposeFile.Environment(broker)], []), name);
        }
    }

    private static Dictionary<string, string> ImageSettings()
    {
        var dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);
        return dockerfile.Environment(dockerfile.FinalStage);
    }
}
