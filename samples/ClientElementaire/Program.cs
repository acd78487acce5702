// Définition d'un client réseau rudimentaire — the chapter's client, step by step, in C#.
// This client holds a dialogue with the chapter's server. Usage: dotnet run -- [HOST] [PORT]
using System.Net.Sockets;
using System.Text;

string host = args.Length > 0 ? args[0] : "localhost";
int port = args.Length > 1 ? int.Parse(args[1]) : 50000;

// 1) Creating the socket:
using var mySocket = new Socket(SocketType.Stream, ProtocolType.Tcp);

// 2) Sending a connection request to the server:
try
{
    mySocket.Connect(host, port);
}
catch (SocketException)
{
    Console.WriteLine("La connexion a échoué.");
    return 1;
}

Console.WriteLine("Connexion établie avec le serveur.");

// 3) Dialogue with the server. The Python script shows the first message as bytes (b'...');
//    we decode every message the same way.
var buffer = new byte[1024];
string msgServeur = Receive(mySocket, buffer);
while (true)
{
    if (string.Equals(msgServeur.Trim(), "FIN", StringComparison.OrdinalIgnoreCase) || msgServeur == "")
    {
        break;
    }

    Console.WriteLine($"S> {msgServeur}");
    Console.Write("C> ");
    string msgClient = Console.ReadLine() ?? "FIN";
    mySocket.Send(Encoding.UTF8.GetBytes(msgClient));
    msgServeur = Receive(mySocket, buffer);
}

// 4) Closing the connection:
Console.WriteLine("Connexion interrompue.");
mySocket.Close();
return 0;

// recv(1024): at most 1024 bytes, whatever arrived; "" when the server closed.
static string Receive(Socket socket, byte[] buffer)
{
    int count;
    try
    {
        count = socket.Receive(buffer);
    }
    catch (SocketException)
    {
        return "";
    }

    return Encoding.UTF8.GetString(buffer, 0, count).TrimEnd('\r', '\n');
}
