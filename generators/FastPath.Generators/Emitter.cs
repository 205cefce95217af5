using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using FastPath.Model.Emit;
using FastPath.Model.Loading;
using FastPath.Model.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>
/// One cluster's inputs to its source and diagnostics: checks the attribute, then hands the files to the shared
/// pipeline (load → validate → plan → emit, <see cref="ClusterPipeline"/>) and turns its diagnostics into located ones.
/// </summary>
internal static class Emitter
{
    public static ClusterResult Build(ClusterInputs inputs, CancellationToken ct)
    {
        var d = inputs.Declaration;
        var diags = new List<DiagnosticInfo>();
        ClusterResult Fail(DiagnosticDescriptor descriptor, params object[] args)
        {
            diags.Add(Info(descriptor, d.Location, args));
            return new ClusterResult(d.HintName, null, new EquatableArray<DiagnosticInfo>(diags));
        }
        if (!d.IsStaticPartial) return Fail(DiagnosticDescriptors.NotStaticPartial, d.ClassName);
        var dnsIps = new List<IPAddress>();
        foreach (var ip in d.DnsIps)
        {
            if (!FastPath.Model.Net.IpText.TryParse(ip, out var a)) return Fail(DiagnosticDescriptors.BadAttribute, $"DnsIps: '{ip}' is not an IP address");
            dnsIps.Add(a);
        }
        var corefilePath = d.Corefile is null ? null : Parser.Normalize(d.Corefile);
        var manifests = inputs.Files.Where(f => f.Input.RelativePath != corefilePath && f.Manifest is not null)
            .Select(f => f.Manifest!).ToList();
        if (manifests.Count == 0) return Fail(DiagnosticDescriptors.NoManifests, Parser.Normalize(d.Manifests).TrimEnd('/'));
        string? corefileText = null;
        if (corefilePath is not null)
        {
            var cf = inputs.Files.FirstOrDefault(f => f.Input.RelativePath == corefilePath);
            if (cf is null) return Fail(DiagnosticDescriptors.CorefileNotFound, corefilePath);
            corefileText = cf.Input.Text;
        }
        ct.ThrowIfCancellationRequested();

        // The loader names files by their project-relative path, so diagnostics, comments and output are the same on every machine.
        var byPath = inputs.Files.Select(f => f.Input).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var options = new LoadOptions
        {
            CorefileText = corefileText,
            CorefilePath = corefilePath,
            ServiceCidr = d.ServiceCidr,
            Environment = _ => null, // builds must not depend on the machine's environment
            ReadFile = p => byPath.TryGetValue(Parser.Normalize(p), out var f) ? f.Text : null,
        };
        var result = ClusterPipeline.Run(manifests, options,
            dnsIps.Count > 0 ? dnsIps : null, plan => new EmitRequest
            {
                Namespace = d.Namespace,
                ClassName = d.ClassName,
                Plan = plan,
                Description = "the manifests in " + Parser.Normalize(d.Manifests).TrimEnd('/'),
            });
        foreach (var diag in result.Diagnostics) diags.Add(ToInfo(diag, byPath, d.Location));
        return new ClusterResult(d.HintName, result.Output?.Source, new EquatableArray<DiagnosticInfo>(diags));
    }

    private static DiagnosticInfo Info(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args) =>
        new(descriptor.Id, descriptor.DefaultSeverity,
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), args), location);

    private static DiagnosticInfo ToInfo(FastPath.Model.Diagnostics.Diagnostic d, IReadOnlyDictionary<string, InputFile> files, LocationInfo? fallback)
    {
        var severity = DiagnosticDescriptors.ToRoslyn(d.Severity);
        LocationInfo? location = fallback;
        if (d.Location is { } at && files.TryGetValue(Parser.Normalize(at.Path), out var file))
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
