"""What the installation's tests share: an S3 server of moto's (receipts in an object store,
tests/core/test_receipt_stores.py and the two hosts of tests/core/test_two_hosts.py)."""

import os

import pytest

from models.budget.receipt_store import S3Store

BUCKET = "tafel-bonnen"


@pytest.fixture(scope="module")
def moto_s3():
    """An S3 server of moto's on a free port of this machine, with the variables a client
    reads; the bucket is made once."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    S3Store(BUCKET).client.create_bucket(Bucket=BUCKET)
    yield env
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    server.stop()
