using System.Text;
using DcAssets.Identity;
using DcAssets.Web.Identity;
using DcAssets.Web.Ui;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Identity.Pages;

/// <summary>
/// The sign-in log for security officers: who signed in, out or failed, when (site clock), from where; filtered by
/// name, outcome and days, failed attempts marked, and exported as CSV in the page's language.
/// </summary>
[Authorize(Policy = Policies.Audit)]
public sealed class SignInsModel(IQuerySession q, SiteClock clock, IStringLocalizer<Text> T) : PageModel
{
    public static readonly string[] Outcomes = ["login_succeeded", "login_failed", "logged_out"];
    private const int Most = 2000;

    [BindProperty(SupportsGet = true)] public string? Who { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    public IReadOnlyList<SignInRecord> Lines { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Lines = await ReadAsync(ct);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        // A byte-order mark, so a spreadsheet opens the Chinese as Chinese; CsvHelper quotes what needs quoting.
        await using var text = new StringWriter();
        await using (var csv = CsvHelper.CsvWriter.Create(text, new CsvHelper.CsvWriterOptions(), true))
        {
            csv.WriteHeader(new[] { "SignIns.At", "Users.Name", "SignIns.Outcome", "SignIns.Detail",
                "SignIns.Address", "SignIns.Source" }.Select(k => T[k].Value).ToArray());
            foreach (var l in await ReadAsync(ct))
                await csv.WriteRecordAsync([clock.Show(l.At), l.Name, T["SignIns.Outcome." + l.Outcome].Value,
                    l.Detail ?? "", l.ClientAddress ?? "", T.SourceName(l.Source)], ct);
        }
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray(),
            "text/csv; charset=utf-8", $"sign-ins-{DateTime.UtcNow:yyyyMMdd}.csv");
    }

    private async Task<IReadOnlyList<SignInRecord>> ReadAsync(CancellationToken ct)
    {
        IQueryable<SignInRecord> query = q.Query<SignInRecord>();
        if (!string.IsNullOrWhiteSpace(Who)) query = query.Where(r => r.Name == Who.Trim());
        if (Outcomes.Contains(Outcome)) query = query.Where(r => r.Outcome == Outcome);
        if (From is { } f)
        {
            var from = clock.Read(f.ToDateTime(TimeOnly.MinValue));
            query = query.Where(r => r.At >= from);
        }
        if (To is { } t)
        {
            var to = clock.Read(t.AddDays(1).ToDateTime(TimeOnly.MinValue));
            query = query.Where(r => r.At < to);
        }
        return await query.OrderByDescending(r => r.Id).Take(Most).ToListAsync(ct);
    }
}
