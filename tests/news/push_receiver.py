"""A push service on this machine, for the tests (never an outside one): it takes Web Push
messages the way a browser's push service does, checks the VAPID signature (RFC 8292: an
ES256 JWT for this receiver's origin, signed by the key in the Authorization header) and
decrypts the message as the phone would (RFC 8291, aes128gcm) with the subscription's
private key. Paths ending in /gone answer 410, as a push service does for a phone that
unsubscribed; /refused 403 (a key that does not match); /busy 503."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Phone:
    """A browser's side of a subscription: its key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"

    @property
    def p256dh(self) -> str:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)


def verify_vapid(authorization: str, origin: str) -> dict:
    """The JWT's claims after checking its ES256 signature with the key the header names;
    AssertionError when anything is off."""
    scheme, _, rest = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    token, public = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public))
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(unb64url(claims_b64))
    assert claims["aud"] == origin, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    return {"claims": claims, "public_key": public}


class PushReceiver:
    """Start with `with PushReceiver(phones) as receiver:`; `receiver.origin` is its address,
    `receiver.messages` what arrived: (path, decrypted body, claims, headers)."""

    def __init__(self, phones: dict):
        self.phones = phones  # path -> Phone
        self.messages = []
        self.refused = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                for ending, status in (("/gone", 410), ("/refused", 403), ("/busy", 503)):
                    if self.path.endswith(ending):
                        self.send_response(status)
                        self.end_headers()
                        return
                try:
                    checked = verify_vapid(self.headers["Authorization"], receiver.origin)
                    assert self.headers["Content-Encoding"] == "aes128gcm"
                    assert int(self.headers["TTL"]) > 0
                    phone = receiver.phones[self.path]
                    plain = http_ece.decrypt(
                        body, private_key=phone.key, auth_secret=phone.auth, version="aes128gcm"
                    )
                except Exception as error:  # noqa: BLE001 - reported to the test
                    receiver.refused.append(repr(error))
                    self.send_response(400)
                    self.end_headers()
                    return
                receiver.messages.append((self.path, plain, checked, dict(self.headers)))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
