using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FastPath.Generators;

/// <summary>Reads a [FastPathCluster] class into a value model: nothing from the compilation is kept.</summary>
internal static class DeclarationParser
{
    public const string AttributeName = "FastPath.FastPathClusterAttribute";

    public static ClusterDeclaration? Parse(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
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
}
