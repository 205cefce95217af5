using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FastPath.Model;
using FastPath.Model.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FastPath.Generators;

/// <summary>
/// The generator's inputs as value models: a [FastPathCluster] class (nothing from the compilation is kept), each
/// AdditionalFile on its own (editing one re-reads one), and the files each declaration depends on.
/// </summary>
internal static class Parser
{
    public const string AttributeName = "FastPath.FastPathClusterAttribute";

    public static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    public static ClusterDeclaration? ParseDeclaration(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
    {
        if (ctx.TargetSymbol is not INamedTypeSymbol type || ctx.TargetNode is not ClassDeclarationSyntax syntax) return null;
        var attr = ctx.Attributes.FirstOrDefault();
        if (attr is null) return null;
        string manifests = attr.ConstructorArguments.Length == 1 ? attr.ConstructorArguments[0].Value as string ?? "" : "";
        string? corefile = null, cidr = null;
        string[] dnsIps = [];
        foreach (var named in attr.NamedArguments)
        {
            switch (named.Key)
            {
                case "Corefile": corefile = named.Value.Value as string; break;
                case "ServiceCidr": cidr = named.Value.Value as string; break;
                case "DnsIps": dnsIps = named.Value.Values.Select(v => v.Value as string ?? "").ToArray(); break;
            }
        }
        bool isStaticPartial = syntax.Modifiers.Any(SyntaxKind.StaticKeyword) && syntax.Modifiers.Any(SyntaxKind.PartialKeyword)
            && type.ContainingType is null;
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        var hint = (ns is null ? "" : ns + ".") + type.Name + ".FastPath.g.cs";
        return new ClusterDeclaration(ns, type.Name, isStaticPartial, manifests, corefile, cidr, new EquatableArray<string>(dnsIps),
            LocationInfo.From(attr.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? syntax.Identifier.GetLocation()), hint);
    }

    public static InputFile? ReadFile(AdditionalText file, string projectDir, CancellationToken ct)
    {
        var text = file.GetText(ct)?.ToString();
        if (text is null) return null;
        return new InputFile(Relative(projectDir, file.Path), file.Path, text);
    }

    /// <summary>The file's path relative to the project folder, with '/' and, for files outside it, "../".</summary>
    internal static string Relative(string projectDir, string path)
    {
        var from = projectDir.Replace('\\', '/').TrimEnd('/').Split('/');
        var to = path.Replace('\\', '/').Split('/');
        if (projectDir.Length == 0) return string.Join("/", to.Skip(to.Length - 1));
        int common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common]) common++;
        var up = Enumerable.Repeat("..", from.Length - common);
        return string.Join("/", up.Concat(to.Skip(common)));
    }

    /// <summary>One file's own step: a manifest's YAML is parsed here, once per edit of that file.</summary>
    public static SourceFile ParseFile(InputFile file) =>
        new(file, ManifestExtensions.Any(e => file.RelativePath.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            ? ClusterLoader.Parse(new ManifestText(file.RelativePath, file.Text))
            : null);

    /// <summary>The files under the declaration's folder (and its Corefile): all that its generation reads.</summary>
    public static ClusterInputs SelectInputs(ClusterDeclaration d, IEnumerable<SourceFile> files)
    {
        var dir = Normalize(d.Manifests).TrimEnd('/');
        var corefile = d.Corefile is null ? null : Normalize(d.Corefile);
        var mine = files.Where(f => (dir.Length == 0 || f.Input.RelativePath.StartsWith(dir + "/", StringComparison.Ordinal))
                || f.Input.RelativePath == corefile)
            .OrderBy(f => f.Input.RelativePath, StringComparer.Ordinal);
        return new ClusterInputs(d, new EquatableArray<SourceFile>(mine));
    }

    /// <summary>'/' separators, no leading "./", no trailing '/'.</summary>
    public static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p.Substring(2);
        return p.TrimEnd('/');
    }
}
