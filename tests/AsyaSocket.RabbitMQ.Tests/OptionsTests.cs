using System.Collections;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>The sidecar's environment variables, read the way the sidecar reads them; no broker needed.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void The_defaults_are_the_sidecars()
    {
        var options = RabbitMqEnvironment.Read(new Hashtable { ["ASYA_TRANSPORT"] = "rabbitmq", ["ASYA_NAMESPACE"] = "dev" });

        Assert.Equal("amqp://localhost:5672/", options.DisplayAddress);
        Assert.Equal(("guest", "guest", "/", "asya", (ushort)1), (options.UserName, options.Password, options.VirtualHost, options.Exchange, options.Prefetch));
    }

    [Fact]
    public void Host_port_user_and_password_come_from_their_variables()
    {
        var options = RabbitMqEnvironment.Read(new Hashtable
        {
            ["ASYA_RABBITMQ_HOST"] = "rabbit.internal", ["ASYA_RABBITMQ_PORT"] = "5673", ["ASYA_RABBITMQ_USERNAME"] = "asya",
            ["ASYA_RABBITMQ_PASSWORD"] = "pw", ["ASYA_RABBITMQ_EXCHANGE"] = "asya-x", ["ASYA_RABBITMQ_PREFETCH"] = "8", ["ASYA_NAMESPACE"] = "prod",
        });

        Assert.Equal("amqp://rabbit.internal:5673/", options.DisplayAddress);
        Assert.Equal(("asya", "pw", "asya-x", (ushort)8, "prod"), (options.UserName, options.Password, options.Exchange, options.Prefetch, options.Namespace));
    }

    [Fact]
    public void The_url_wins_and_its_credentials_are_decoded_and_kept_out_of_the_address()
    {
        var options = RabbitMqEnvironment.Read(new Hashtable
        {
            ["ASYA_RABBITMQ_URL"] = "amqps://us%40er:p%3Ass@mq.example:5671/prod%2Fa", ["ASYA_RABBITMQ_HOST"] = "ignored", ["ASYA_NAMESPACE"] = "dev",
        });

        Assert.Equal(("us@er", "p:ss", "prod/a"), (options.UserName, options.Password, options.VirtualHost));
        Assert.True(options.UsesTls);
        Assert.Equal("amqps://mq.example:5671/prod%2Fa", options.DisplayAddress);
        Assert.DoesNotContain("p:ss", options.ToString());
        Assert.DoesNotContain("p%3Ass", options.ToString());
    }

    [Theory]
    [InlineData("amqp://h", "/", 5672)]
    [InlineData("amqp://h/", "/", 5672)]
    [InlineData("amqp://h/%2F", "/", 5672)]
    [InlineData("amqps://h/v", "v", 5671)]
    public void Vhost_and_port_follow_the_amqp_uri_rules(string url, string vhost, int port)
    {
        var (broker, _, _) = RabbitMqUrl.Split(url);
        var options = new RabbitMqMeshOptions { BrokerUri = broker, Namespace = "dev" };

        Assert.Equal(vhost, options.VirtualHost);
        Assert.Equal(port, broker.Port);
    }

    [Fact]
    public void A_missing_namespace_is_an_invalid_configuration_as_for_the_sidecar()
    {
        var error = Assert.Throws<AsyaTransportException>(() => RabbitMqEnvironment.Read(new Hashtable { ["ASYA_TRANSPORT"] = "rabbitmq" }));

        Assert.Equal((AsyaErrorKind.InvalidConfiguration, "InvalidMeshConfiguration"), (error.Kind, error.ErrorId));
        Assert.Contains("ASYA_NAMESPACE", error.Message);
    }

    [Fact]
    public void A_malformed_url_is_reported_without_repeating_it()
    {
        var error = Assert.Throws<AsyaTransportException>(() => RabbitMqUrl.Split("http://user:hunter2@host/"));

        Assert.Equal((AsyaErrorKind.InvalidConfiguration, "InvalidMeshConfiguration"), (error.Kind, error.ErrorId));
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [Fact]
    public void A_prefetch_that_is_not_a_number_falls_back_to_one_like_the_sidecar()
    {
        var options = RabbitMqEnvironment.Read(new Hashtable { ["ASYA_NAMESPACE"] = "dev", ["ASYA_RABBITMQ_PREFETCH"] = "many" });

        Assert.Equal((ushort)1, options.Prefetch);
    }

    [Theory]
    [InlineData("rabbitmq", true)]
    [InlineData("RabbitMQ", true)]
    [InlineData("socket", false)]
    [InlineData(null, false)]
    public void Only_asya_transport_rabbitmq_selects_the_transport(string? value, bool selected)
    {
        Assert.Equal(selected, RabbitMqEnvironment.IsSelected(new Hashtable { ["ASYA_TRANSPORT"] = value }));
    }
}
