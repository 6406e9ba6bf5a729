from django.apps import AppConfig


class BenchdataConfig(AppConfig):
    name = "zhenwu.benchdata"
    label = "benchdata"
    verbose_name = "基准测试数据"
