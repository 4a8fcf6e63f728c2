using DcAssets;
using DcAssets.Web;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
if (args is not ["codegen", ..])
{
    try { await DcAssetsStore.RefuseEarlierSchemaAsync(DcAssetsStore.ResolveConnectionString(k => builder.Configuration[k])); }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 1;
    }
}
builder.AddDcAssets();
var app = builder.Build();
app.MapDcAssets();
// `dotnet DcAssets.Web.dll codegen write|test` writes or checks the pre-generated handler code (Internal/Generated).
if (args is ["codegen", ..]) return await app.RunJasperFxCommands(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
