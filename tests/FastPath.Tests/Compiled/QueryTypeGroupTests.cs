using System;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Model.Tables;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>The engine finds a type's answer column through a table of type numbers: it must agree with the names.</summary>
public class QueryTypeGroupTests
{
    [Fact]
    public void Every_type_number_falls_in_the_group_of_its_name_or_in_Other()
    {
        for (int t = 0; t <= ushort.MaxValue; t++)
        {
            var type = (DnsType)t;
            var expected = Enum.IsDefined(type) && Enum.TryParse<QueryTypeGroup>(type.ToString(), out var g) ? g : QueryTypeGroup.Other;
            Assert.True(expected == CompiledDns.ClassOf(type), $"type {t} ({type}): {CompiledDns.ClassOf(type)}, expected {expected}");
        }
    }
}
