using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FastPath.Dns;

namespace FastPath.Cli;

/// <summary>Prints a response in dig's layout, so it can be compared line by line with dig against CoreDNS.</summary>
internal static class DigFormatter
{
    public static void Write(DnsMessage m, TextWriter w, string? banner = null)
    {
        if (banner is not null) w.WriteLine(banner);
        w.WriteLine(";; Got answer:");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $";; ->>HEADER<<- opcode: {m.Opcode.ToString().ToUpperInvariant()}, status: {DnsNaming.RcodeText(m.Rcode)}, id: {m.Id}"));
        var flags = new List<string>();
        if (m.IsResponse) flags.Add("qr");
        if (m.Authoritative) flags.Add("aa");
        if (m.Truncated) flags.Add("tc");
        if (m.RecursionDesired) flags.Add("rd");
        if (m.RecursionAvailable) flags.Add("ra");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $";; flags: {string.Join(" ", flags)}; QUERY: 1, ANSWER: {m.Answer.Count}, AUTHORITY: {m.Authority.Count}, ADDITIONAL: {m.Additional.Count}"));
        w.WriteLine();
        w.WriteLine(";; QUESTION SECTION:");
        w.WriteLine($";{m.Question.Name}\t\t{DnsNaming.ClassText(m.Question.Class)}\t{DnsNaming.TypeText(m.Question.Type)}");
        Section(w, "ANSWER", m.Answer);
        Section(w, "AUTHORITY", m.Authority);
        Section(w, "ADDITIONAL", m.Additional);
        w.WriteLine();
    }

    private static void Section(TextWriter w, string title, List<DnsRecord> records)
    {
        if (records.Count == 0) return;
        w.WriteLine();
        w.WriteLine($";; {title} SECTION:");
        foreach (var r in records) w.WriteLine(r.ToString());
    }
}
