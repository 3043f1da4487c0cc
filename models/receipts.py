from models.budget.receipts import (  # noqa: F401  (moved; the lead removes this shim)
    FOLDER,
    is_receipt_name,
    receipt_folder,
    save_receipt,
    stored_receipts,
)
