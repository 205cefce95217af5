using System;
using FastPath.Model.Tables;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>A perfect-hash slot carries its entry and its key's place, packed in 8 bytes.</summary>
public class SlotUnitTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(274_105, 11_000_000, 255)]
    [InlineData(SlotUnit.MaxEntries - 1, int.MaxValue, 63)]
    public void A_slot_gives_back_its_entry_key_offset_and_length(int entry, int offset, int length)
    {
        ulong unit = SlotUnit.Pack(entry, offset, length);
        Assert.Equal((entry, offset, length), (SlotUnit.Entry(unit), SlotUnit.KeyOffset(unit), SlotUnit.KeyLength(unit)));
    }

    [Fact]
    public void An_empty_slot_is_no_entry_with_a_zero_length_key() =>
        Assert.Equal((-1, 0), (SlotUnit.Entry(0), SlotUnit.KeyLength(0)));

    // 24 bits hold entry + 1: one more entry would read back as another one, so the writer refuses it.
    [Fact]
    public void An_entry_past_the_24_bit_limit_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => SlotUnit.Pack(SlotUnit.MaxEntries, 0, 1));
}
