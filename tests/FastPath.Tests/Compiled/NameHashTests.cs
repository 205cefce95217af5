using System;
using System.Collections.Generic;
using FastPath.Model.Tables;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>The name hash the perfect hashes are built on: every byte counts, ASCII case does not.</summary>
public class NameHashTests
{
    // The hash reads whole words and one overlapping final word; a lane or tail rule that skipped a byte would make
    // two names that differ only there collide (and the perfect hash unbuildable), at some length.
    [Fact]
    public void Every_byte_of_every_length_changes_the_hash()
    {
        var name = new byte[200];
        for (int i = 0; i < name.Length; i++) name[i] = (byte)('a' + i % 26);
        for (int len = 1; len <= name.Length; len++)
        {
            var span = name.AsSpan(0, len);
            ulong h = NameHash.Hash(span);
            for (int at = 0; at < len; at++)
            {
                byte was = span[at];
                span[at] = (byte)'0';
                Assert.NotEqual(h, NameHash.Hash(span));
                span[at] = was;
            }
        }
    }

    [Fact]
    public void Names_differing_in_ascii_case_hash_alike()
    {
        foreach (var name in new[] { "web.bench.svc.cluster.local", "a", "Ab-c", "_HTTP._tcp.My-Service.Default.svc.cluster.local",
                     "10-244-1-10.my-service.default.svc.cluster.local.with.some.more.labels.to.pass.sixty.four.bytes" })
            Assert.Equal(NameHash.Hash(System.Text.Encoding.ASCII.GetBytes(name.ToLowerInvariant())), NameHash.Hash(System.Text.Encoding.ASCII.GetBytes(name)));
    }

    // A prefix of a name, or the name with a byte appended, is another key: the length is part of the hash.
    [Fact]
    public void Prefixes_of_a_name_hash_apart()
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes("svc-1234.ns-12.svc.cluster.local.and.sixty.four.bytes.of.labels.x");
        var seen = new HashSet<ulong>();
        for (int len = 0; len <= bytes.Length; len++) Assert.True(seen.Add(NameHash.Hash(bytes.AsSpan(0, len))), $"length {len} collides");
    }
}
