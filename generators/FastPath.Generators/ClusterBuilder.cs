using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using FastPath.Model.Emit;
using FastPath.Model.Loading;
using FastPath.Model.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>From one cluster's inputs to its source and diagnostics, through the shared loader, planner and emitter.</summary>
internal static class ClusterBuilder
{
    public static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    /// <summary>The files under the declaration's folder (and its Corefile): all that its generation reads.</summary>
    public static ClusterInputs Select(ClusterDeclaration d, IEnumerable<InputFile> files)
    {
        var dir = Normalize(d.Manifests).TrimEnd('/');
        var corefile = d.Corefile is null ? null : Normalize(d.Corefile);
        var mine = files.Where(f => (dir.Length == 0 || f.RelativePath.StartsWith(dir + "/", StringComparison.Ordinal)) || f.RelativePath == corefile)
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal);
        return new ClusterInputs(d, new EquatableArray<InputFile>(mine));
    }

    /// <summary>'/' separators, no leading "./", no trailing '/'.</summary>
    public static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p.Substring(2);
        return p.TrimEnd('/');
    }

    public static ClusterResult Build(ClusterInputs inputs, CancellationToken ct)
    {
        var d = inputs.Declaration;
        var diags = new List<DiagnosticInfo>();
        ClusterResult Fail(DiagnosticDescriptor descriptor, params object[] args)
        {
            diags.Add(new DiagnosticInfo(descriptor.Id, descriptor.DefaultSeverity, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), args), d.Location));
            return new ClusterResult(d.HintName, null, new EquatableArray<DiagnosticInfo>(diags));
        }
        if (!d.IsStaticPartial) return Fail(GeneratorDiagnostics.NotStaticPartial, d.ClassName);
        var dnsIps = new List<IPAddress>();
        foreach (var ip in d.DnsIps)
        {
            if (!FastPath.Model.Net.IpText.TryParse(ip, out var a)) return Fail(GeneratorDiagnostics.BadAttribute, $"DnsIps: '{ip}' is not an IP address");
            dnsIps.Add(a);
        }
        var corefilePath = d.Corefile is null ? null : Normalize(d.Corefile);
        var manifests = inputs.Files.Where(f => f.RelativePath != corefilePath && ManifestExtensions.Any(e => f.RelativePath.EndsWith(e, StringComparison.OrdinalIgnoreCase))).ToList();
        if (manifests.Count == 0) return Fail(GeneratorDiagnostics.NoManifests, Normalize(d.Manifests).TrimEnd('/'));
        string? corefileText = null;
        if (corefilePath is not null)
        {
            var cf = inputs.Files.FirstOrDefault(f => f.RelativePath == corefilePath);
            if (cf is null) return Fail(GeneratorDiagnostics.CorefileNotFound, corefilePath);
            corefileText = cf.Text;
        }
        ct.ThrowIfCancellationRequested();

        // The loader names files by their project-relative path, so diagnostics, comments and output are the same on every machine.
        var byPath = inputs.Files.ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var options = new LoadOptions
        {
            CorefileText = corefileText,
            CorefilePath = corefilePath,
            ServiceCidr = d.ServiceCidr,
            Environment = _ => null, // builds must not depend on the machine's environment
            ReadFile = p => byPath.TryGetValue(Normalize(p), out var f) ? f.Text : null,
        };
        var result = ClusterLoader.LoadTexts(manifests.Select(f => new ManifestText(f.RelativePath, f.Text)), options);
        foreach (var diag in result.Diagnostics) diags.Add(ToInfo(diag, byPath, d.Location));
        if (result.Cluster is null) return new ClusterResult(d.HintName, null, new EquatableArray<DiagnosticInfo>(diags));

        var plan = DnsPlanner.Plan(result.Cluster, dnsIps.Count > 0 ? dnsIps : null);
        if (plan.FallbackReason is not null)
            diags.Add(new DiagnosticInfo(GeneratorDiagnostics.LimitedGeneration.Id, DiagnosticSeverity.Info,
                string.Format(CultureInfo.InvariantCulture, GeneratorDiagnostics.LimitedGeneration.MessageFormat.ToString(CultureInfo.InvariantCulture), plan.FallbackReason), d.Location));
        ct.ThrowIfCancellationRequested();
        var source = ClusterEmitter.Emit(new EmitRequest
        {
            Namespace = d.Namespace,
            ClassName = d.ClassName,
            Cluster = result.Cluster,
            Plan = plan,
            Manifests = result.Cluster.Sources,
            CorefileText = corefileText,
            ServiceCidr = d.ServiceCidr,
            Description = "the manifests in " + Normalize(d.Manifests).TrimEnd('/'),
        });
        return new ClusterResult(d.HintName, source, new EquatableArray<DiagnosticInfo>(diags));
    }

    private static DiagnosticInfo ToInfo(FastPath.Model.Diagnostics.Diagnostic d, IReadOnlyDictionary<string, InputFile> files, LocationInfo? fallback)
    {
        var severity = d.Severity switch
        {
            FastPath.Model.Diagnostics.DiagnosticSeverity.Error => Microsoft.CodeAnalysis.DiagnosticSeverity.Error,
            FastPath.Model.Diagnostics.DiagnosticSeverity.Warning => Microsoft.CodeAnalysis.DiagnosticSeverity.Warning,
            _ => Microsoft.CodeAnalysis.DiagnosticSeverity.Info,
        };
        LocationInfo? location = fallback;
        if (d.Location is { } at && files.TryGetValue(Normalize(at.Path), out var file))
        {
            var text = SourceText.From(file.Text);
            int line = Math.Max(0, Math.Min(at.Line - 1, text.Lines.Count - 1));
            var l = text.Lines[line];
            int col = Math.Max(0, Math.Min(at.Column - 1, l.End - l.Start));
            var pos = new LinePosition(line, col);
            location = new LocationInfo(file.FullPath, new TextSpan(l.Start + col, 0), new LinePositionSpan(pos, pos));
        }
        return new DiagnosticInfo(d.Id, severity, d.Message, location);
    }
}
