using DcAssets.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddDcAssets();
var app = builder.Build();
app.MapDcAssets();
app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
