using DcAssets;
using DcAssets.Web;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
builder.AddDcAssets();
var app = builder.Build();
app.MapDcAssets();
// `dotnet DcAssets.Web.dll codegen write|test` writes or checks the pre-generated handler code (Internal/Generated).
if (args is ["codegen", ..]) return await app.RunJasperFxCommands(args);
try
{
    await DcAssetsStore.RefuseEarlierSchemaAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
