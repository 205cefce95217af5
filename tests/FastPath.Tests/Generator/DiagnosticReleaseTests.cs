using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using FastPath.Generators;
using Xunit;

namespace FastPath.Tests.Generator;

/// <summary>Every diagnostic ID FastPath reports has one row in AnalyzerReleases, with its severity, and no row is stale.</summary>
public class DiagnosticReleaseTests
{
    [Fact]
    public void Every_diagnostic_id_is_in_the_analyzer_releases_with_its_severity()
    {
        var rows = ReleaseRows();
        var known = DiagnosticDescriptors.ById;
        var missing = known.Keys.Where(id => !rows.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "IDs without an AnalyzerReleases row: " + string.Join(", ", missing));
        var stale = rows.Keys.Where(id => !known.ContainsKey(id)).ToList();
        Assert.True(stale.Count == 0, "AnalyzerReleases rows for IDs nothing defines: " + string.Join(", ", stale));
        foreach (var (id, descriptor) in known)
            Assert.True(rows[id] == descriptor.DefaultSeverity.ToString(), $"{id}: AnalyzerReleases says {rows[id]}, the descriptor {descriptor.DefaultSeverity}");
    }

    [Fact]
    public void The_generator_reports_every_model_diagnostic_with_the_model_id_title_and_severity()
    {
        var model = typeof(FastPath.Model.Diagnostics.Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (FastPath.Model.Diagnostics.DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var reported = DiagnosticDescriptors.ModelDescriptors.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(model.Select(d => d.Id), reported.Select(d => d.Id));
        foreach (var (m, r) in model.Zip(reported))
        {
            Assert.Equal(m.Title, r.Title.ToString());
            Assert.Equal(DiagnosticDescriptors.ToRoslyn(m.Severity), r.DefaultSeverity);
        }
    }

    [Fact]
    public void Descriptors_are_created_once_with_distinct_ids()
    {
        var ids = DiagnosticDescriptors.ModelDescriptors.Concat(DiagnosticDescriptors.Generator).Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Count, DiagnosticDescriptors.ById.Count);
        // The same instance every time: descriptors are not made per report.
        var info = new DiagnosticInfo("FP0019", Microsoft.CodeAnalysis.DiagnosticSeverity.Error, "m", null);
        Assert.Same(DiagnosticDescriptors.AffinityTimeout, DiagnosticDescriptors.For(info));
        Assert.Same(DiagnosticDescriptors.For(info), DiagnosticDescriptors.For(info));
    }

    /// <summary>ID → severity from the Shipped and Unshipped tables.</summary>
    private static Dictionary<string, string> ReleaseRows([CallerFilePath] string thisFile = "")
    {
        var dir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "../../../generators/FastPath.Generators"));
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
            foreach (var line in File.ReadAllLines(Path.Combine(dir, file)))
            {
                var cells = line.Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length >= 3 && cells[0].StartsWith("FP", StringComparison.Ordinal))
                    Assert.True(rows.TryAdd(cells[0], cells[2]), $"{cells[0]} has two rows in AnalyzerReleases");
            }
        return rows;
    }
}
