using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;
using FastPath.Reference.Dns;
using Xunit;

namespace FastPath.Tests.Reference;

public class ReferenceDnsCaseTableTests
{
    private static readonly (Dictionary<string, string> Corefiles, List<DnsCase> Cases) Table = DnsCaseTable.Read();

    public static IEnumerable<object[]> Cases() => Table.Cases.Select(c => new object[] { c });

    [Fact]
    public void The_table_has_at_least_100_cases() => Assert.True(Table.Cases.Count >= 100, $"{Table.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_answers_as_coredns(DnsCase c)
    {
        var cluster = DnsCaseTable.ClusterFor(c.Corefile, Table.Corefiles[c.Corefile]);
        var result = new ReferenceResolver(cluster).Resolve(new DnsQuery(c.Name, c.Type, c.Client, Id: 4242));
        var m = result.Response;
        Assert.Equal(4242, m.Id);
        Assert.Equal(DnsNaming.Fqdn(c.Name), m.Question.Name);
        if (c.Rcode == "FORWARD")
        {
            Assert.Equal(DnsOutcome.Forward, result.Outcome);
            Assert.Equal(c.Upstreams, result.Upstreams);
            return;
        }
        Assert.Equal(DnsOutcome.Answered, result.Outcome);
        Assert.Equal(c.Rcode, DnsNaming.RcodeText(m.Rcode));
        Assert.Equal(c.Aa, m.Authoritative);
        Assert.Equal(c.Answer, m.Answer.Select(r => DnsCaseTable.Normalize(r.ToString())));
        Assert.Equal(c.Authority, m.Authority.Select(r => DnsCaseTable.Normalize(r.ToString())));
        Assert.Equal(c.Additional, m.Additional.Select(r => DnsCaseTable.Normalize(r.ToString())));
    }
}
