"""Oscar's dashboard catalogue forms, one replaced by name through the dashboard fork."""

from oscar.apps.dashboard.catalogue import forms

from marketplace.catalogue.services import sku_clash_message


class StockRecordForm(forms.StockRecordForm):
    """Oscar's stock record form, with a SKU the shop already uses refused in words a
    manager understands (catalogue.services.sku_clash_message). Django's own message for
    this clash reads, in Indonesian, as if the record did not exist."""

    def clean(self):
        cleaned = super().clean()
        partner, sku = cleaned.get("partner"), cleaned.get("partner_sku")
        if partner is not None and sku:
            clash = sku_clash_message(partner=partner, sku=sku, record=self.instance)
            if clash:
                self.add_error("partner_sku", clash)  # which also skips Django's unique check
        return cleaned
