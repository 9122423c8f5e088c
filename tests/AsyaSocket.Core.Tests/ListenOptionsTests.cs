using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Tests;

/// <summary>A transport's own listener options take the neutral settings a caller of Listen asks for, and keep their own.</summary>
public class ListenOptionsTests
{
    private static readonly SocketListenerOptions Defaults = new() { Force = true, SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, ReadTimeout = TimeSpan.FromSeconds(3) };

    [Fact]
    public void NeutralSettingsOverlayTheTransportsOwnAndKeepItsType()
    {
        var merged = Defaults.With(new ListenOptions { BufferCapacity = 7, RequeueCapacity = 2, AckPolicy = AckPolicy.Explicit, MaxBodyLength = 99 });

        Assert.IsType<SocketListenerOptions>(merged);
        Assert.Equal((7, 2, AckPolicy.Explicit, 99), (merged.BufferCapacity, merged.RequeueCapacity, merged.AckPolicy, merged.MaxBodyLength));
        Assert.True(merged.Force);
        Assert.Equal(Defaults.SocketMode, merged.SocketMode);
        Assert.Equal(TimeSpan.FromSeconds(3), merged.ReadTimeout);
        Assert.Equal(64, Defaults.BufferCapacity); // the defaults themselves are untouched
    }

    [Fact]
    public void TheTransportsOwnTypeIsUsedWholeAndNoRequestKeepsTheDefaults()
    {
        var own = new SocketListenerOptions { BufferCapacity = 3 };

        Assert.Same(own, Defaults.With(own));
        Assert.Same(Defaults, Defaults.With(null));
    }
}
