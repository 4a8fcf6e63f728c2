using DcAssets.Cli;

return await CliApp.RunAsync(args);
