using System;
using System.Linq;
using System.Text.RegularExpressions;
using FastPath.Model;
using FastPath.Compiler;
using FastPath.Dns;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Tests.Compiled;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastPath.Tests.Properties;

/// <summary>Changes that must not change answers: the order of manifest files, an unrelated namespace, the case of a query.</summary>
public class MetamorphicProperties
{
    private static Config Quick(int n) => Config.QuickThrowOnFailure.WithMaxTest(n).WithQuietOnSuccess(true);

    [Fact]
    public void Permuting_manifest_files_changes_no_byte_of_the_generated_source() =>
        FsCheck.Check.One(Quick(15), Prop.ForAll(ClusterGenerators.ArbitraryClusters, Gen.Choose(0, 1000).ToArbitrary(), (spec, seed) =>
        {
            var docs = spec.Yaml().Split("---\n", StringSplitOptions.RemoveEmptyEntries);
            var files = docs.Select((d, i) => new ManifestText($"m/{i:D3}.yaml", d)).ToList();
            var shuffled = files.OrderBy(_ => new Random(seed).Next()).Select((f, i) => f).Reverse().ToList();
            var options = new LoadOptions { CorefileText = spec.Corefile.Text() };
            var a = ClusterLoader.LoadTexts(files, options).Cluster!;
            var b = ClusterLoader.LoadTexts(shuffled, options).Cluster!;
            if (ClusterCompiler.EmitSource(a) != ClusterCompiler.EmitSource(b)) throw new Exception("generated source depends on file order:\n" + spec.Yaml());
        }));

    private static string WithoutSerial(string s) => Regex.Replace(s, @"(IN\tSOA\t\S+ \S+ )\d+", "${1}SERIAL");

    [Fact]
    public void Adding_an_unrelated_namespace_changes_no_other_answer() =>
        FsCheck.Check.One(Quick(10), Prop.ForAll(ClusterGenerators.ArbitraryClusters, Gen.Choose(0, 1000).ToArbitrary(), (spec, seed) =>
        {
            var extra = spec with
            {
                Namespaces = [.. spec.Namespaces, "zeta"],
                Services = [.. spec.Services, new ServiceSpec("zeta", "unrelated", "ClusterIP", ["10.96.9.9"], [new PortSpec("http", 80, "TCP", null)], null, [], false, false, false, null)],
            };
            var before = ClusterCompiler.Compile(CompiledMatchesReferenceProperties.Load(spec)).Dns;
            var after = ClusterCompiler.Compile(CompiledMatchesReferenceProperties.Load(extra)).Dns;
            foreach (var (name, type) in ClusterGenerators.Queries(spec, seed, 40).Where(q => !q.Name.Contains("zeta", StringComparison.OrdinalIgnoreCase) && !q.Name.Contains("9.9.96.10")))
            {
                DnsNaming.TryParseType(type, out var t);
                var q = new DnsQuery(name, t);
                var x = WithoutSerial(CompiledClusters.Describe(before.Resolve(q)));
                var y = WithoutSerial(CompiledClusters.Describe(after.Resolve(q)));
                if (x != y) throw new Exception(CompiledMatchesReferenceProperties.Report(spec, $"{name} {type} after adding namespace zeta", x, y));
            }
        }));

    [Fact]
    public void Changing_the_case_of_a_query_changes_only_the_names_copied_from_it() =>
        FsCheck.Check.One(Quick(10), Prop.ForAll(ClusterGenerators.ArbitraryClusters, Gen.Choose(0, 1000).ToArbitrary(), (spec, seed) =>
        {
            // loadbalance rotates addresses from one query to the next; asking twice must not be read as a case difference.
            spec = spec with { Corefile = spec.Corefile with { LoadBalance = false } };
            var cluster = CompiledMatchesReferenceProperties.Load(spec);
            var dns = ClusterCompiler.Compile(cluster).Dns;
            foreach (var (name, type) in ClusterGenerators.Queries(spec, seed, 40))
            {
                if (type == "NS") continue; // CoreDNS answers apex NS only for a lower-case name (a documented quirk)
                DnsNaming.TryParseType(type, out var t);
                var lower = CompiledClusters.Describe(dns.Resolve(new DnsQuery(name.ToLowerInvariant(), t))).ToLowerInvariant();
                var upper = CompiledClusters.Describe(dns.Resolve(new DnsQuery(name.ToUpperInvariant(), t))).ToLowerInvariant();
                // ns.dns.<ZONE> in upper case is not the name server's name in CoreDNS (isDefaultNS compares as spelled).
                if (name.StartsWith("ns.dns.", StringComparison.OrdinalIgnoreCase)) continue;
                if (lower != upper) throw new Exception(CompiledMatchesReferenceProperties.Report(spec, $"{name} {type} in upper case", lower, upper));
            }
        }));
}
