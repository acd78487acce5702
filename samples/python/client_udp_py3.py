#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Définition d'un client réseau rudimentaire, en datagrammes (UDP)
# Ce client dialogue avec un serveur ad hoc
import socket, sys
HOST = "localhost"
PORT = 50000
# 1) création du socket (SOCK_DGRAM : des datagrammes, sans connexion) :
mySocket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# 2) connect() n'envoie rien en UDP : il fixe le destinataire, et seuls ses
#    datagrammes seront reçus. Un datagramme vide nous fait connaître du serveur.
try:
    mySocket.connect((HOST, PORT))
    mySocket.send(b"")
    msgServeur = mySocket.recv(1024).decode("Utf8").rstrip("\r\n")
except socket.error:
    # Personne à cette adresse : le système l'apprend par ICMP ("port unreachable").
    print("La connexion a échoué.")
    sys.exit()
print("Connexion établie avec le serveur.")
# 3) Dialogue avec le serveur (un datagramme vide de sa part : c'est fini) :
while 1:
    if msgServeur.strip().upper() == "FIN" or msgServeur == "":
        break
    print("S>", msgServeur)
    msgClient = input("C> ")
    mySocket.send(msgClient.encode("Utf8"))
    msgServeur = mySocket.recv(1024).decode("Utf8").rstrip("\r\n")
# 4) Fermeture du socket :
print("Connexion interrompue.")
mySocket.close()
