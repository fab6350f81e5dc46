namespace Upseed.Mqtt.Client;

/// <summary>The broker refused one or more topic filters of a SUBSCRIBE (SUBACK code &gt;= 0x80).</summary>
public sealed class MqttSubscribeException : Exception
{
    public MqttSubscribeException()
        : base("The broker refused the subscription.")
    {
    }

    public MqttSubscribeException(string message)
        : base(message)
    {
    }

    public MqttSubscribeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
