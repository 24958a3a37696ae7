DROP TABLE IF EXISTS failed_jobs, queue_jobs, invoices, invoice_counters, wallet_transactions, wallets, payments,
    discount_usages, order_idempotencies, order_status_history, vendor_commissions, order_items, order_fulfillments,
    orders, cart_items, carts, addresses CASCADE;
DROP SEQUENCE IF EXISTS order_number_seq;
