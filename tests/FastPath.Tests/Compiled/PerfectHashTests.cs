using System;
using System.Linq;
using FastPath.Model.Tables;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>The build-time perfect hash places every key set, and each key in its own slot.</summary>
public class PerfectHashTests
{
    // Regression: with the slot h1 + d·h2, two keys of one bucket could move in step for every displacement on small
    // tables; the property tests met such a cluster (the displacement search hit its bound). Small random key sets,
    // many of them, are where that showed.
    [Fact]
    public void Small_and_large_key_sets_are_placed_one_key_per_slot()
    {
        var rnd = new Random(7);
        foreach (int n in Enumerable.Range(1, 2000).Select(i => i % 60 + 1).Concat([1000, 50_000]))
        {
            var hashes = Enumerable.Range(0, n).Select(_ => (ulong)rnd.NextInt64() ^ ((ulong)rnd.NextInt64() << 32)).Distinct().ToList();
            var ph = PerfectHash.Build(hashes);
            var placed = ph.Slots.Where(s => s != 0).Select(s => s - 1).OrderBy(x => x).ToList();
            Assert.Equal(Enumerable.Range(0, hashes.Count), placed);
            int slotMask = ph.Slots.Length - 1, bucketMask = ph.Displacements.Length - 1;
            for (int k = 0; k < hashes.Count; k++)
            {
                var h = hashes[k];
                Assert.Equal(k + 1, ph.Slots[NameHash.Slot(h, ph.Displacements[NameHash.Bucket(h, bucketMask)], slotMask)]);
            }
        }
    }
}
