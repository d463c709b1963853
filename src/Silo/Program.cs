using Orlog.Silo;

// One Orlog broker: see SiloCommandLine.Usage (--help) and docs/configuration.md.
return await OrlogSilo.RunAsync(args);
