// The `orlog` command line. Its commands arrive with the single-silo issue (topics, produce, consume).
Console.Error.WriteLine("orlog: no commands yet; see README.md");
return 2;
