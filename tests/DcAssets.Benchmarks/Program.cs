using DcAssets.Benchmarks;

return await BenchmarkRunner.RunAsync(args);
